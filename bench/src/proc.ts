// Child processes of the benchmark: spawn, wait, stop, and kill every survivor on exit or signal.
// Every process the harness starts is registered here so an interrupted run leaves nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited and its output is complete. */
  exited: Promise<ExitResult>;
  running(): boolean;
}

const live = new Set<ChildProcess>();

/** Starts a process, collecting its output; the pid is the command's own (ip netns exec and taskset exec). */
export function start(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Started {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  if (child.pid === undefined) throw new Error(`cannot start ${cmd} ${args.join(' ')}`);
  live.add(child);
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ExitResult>((resolve, reject) => {
    child.on('error', (error) => {
      live.delete(child);
      done = true;
      reject(new Error(`${cmd} ${args.join(' ')}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      live.delete(child);
      done = true;
      resolve({ code, signal, stdout, stderr });
    });
  });
  exited.catch(() => undefined);
  return { child, pid: child.pid, exited, running: () => !done };
}

/** Runs a command to completion; throws with its stderr when it exits non-zero. */
export async function run(cmd: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<ExitResult> {
  const result = await start(cmd, args).exited;
  if (result.code !== 0 && !options.allowFailure) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${String(result.code ?? result.signal)}: ${result.stderr.trim()}`);
  }
  return result;
}

/** Waits for a process to exit, or kills it with SIGKILL once the grace time has passed. */
export async function waitOrKill(proc: Started, graceMs: number): Promise<ExitResult> {
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then SIGKILL after the grace time. */
export async function stop(proc: Started, graceMs = 3000): Promise<ExitResult> {
  if (proc.running()) proc.child.kill('SIGTERM');
  return waitOrKill(proc, graceMs);
}

/** Signal path: kills every registered child at once; nothing waits. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
