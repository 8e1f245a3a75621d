// Runs one of the native traffic tools shipped with the engine (`npx mcrgen`, `npx mcrsink`):
// same arguments, same standard streams, same exit status; signals are passed on, so Ctrl-C
// makes mcrsink print its report as it would when run directly.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { toolPath } from '../loader';

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function runTool(name: 'mcrgen' | 'mcrsink'): void {
  let binary: string;
  try {
    binary = toolPath(name);
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit' });
  for (const signal of FORWARDED_SIGNALS) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`${name}: cannot start ${binary}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + constants.signals[signal] : 1); // shell convention
  });
}
