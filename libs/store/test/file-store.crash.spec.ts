// Crash safety with a real process: a child creating relays is SIGKILLed mid-stream; every id it
// saw acknowledged must be in the file, and the file must open. Repeated at several kill points.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FileStore } from '../src/file-store';
import { makeTempDir } from './temp-dir';

const CHILD = join(__dirname, 'fixtures', 'crash-writer.js');
/** Kill points: after this many acknowledged creates in each round. */
const KILL_AFTER_ACKS = [1, 37, 150];
const CHILD_TIMEOUT_MS = 20_000;

/** Runs the writer until `acks` ids are acknowledged, SIGKILLs it, returns every complete id line. */
function runAndKill(path: string, firstIndex: number, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, path, String(firstIndex)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').length - 1 >= acks) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ids = stdout.split('\n').slice(0, -1); // a last line without '\n' was not fully acknowledged
      if (signal !== 'SIGKILL' || ids.length < acks) {
        reject(new Error(`writer ended with code ${code} signal ${signal} after ${ids.length} acks: ${stderr}`));
      } else {
        resolve(ids);
      }
    });
  });
}

describe('FileStore crash safety (kill -9)', () => {
  it('keeps every acknowledged relay and a readable file across SIGKILLs', async () => {
    const temp = await makeTempDir();
    try {
      const path = join(temp.dir, 'relays.json');
      const acknowledged: string[] = [];
      for (const [round, acks] of KILL_AFTER_ACKS.entries()) {
        acknowledged.push(...(await runAndKill(path, round * 100_000, acks)));
        const store = new FileStore(path);
        await store.open();
        const stored = new Set((await store.list()).relays.map((relay) => relay.id));
        await store.close();
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      }
    } finally {
      await temp.remove();
    }
  }, 60_000);
});
