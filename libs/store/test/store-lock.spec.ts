// One process per store file: a second process is refused while the first lives, and takes the
// store over once the first is gone (kill -9 leaves a stale lock that needs no operator).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '../src/file-store';
import { StoreLockedError } from '../src/store-lock';
import { makeTempDir } from './temp-dir';

const WRITER = join(__dirname, 'fixtures', 'crash-writer.js');

/** Starts a process that opens the store and writes to it; resolves once its first write is acknowledged. */
function startWriter(path: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.once('data', () => resolve(child));
    child.on('exit', (code) => reject(new Error(`writer exited with ${code}: ${stderr}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('FileStore lock', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(async () => {
    await temp.remove();
  });

  it('refuses a second process while the first lives, naming it; takes over after kill -9', async () => {
    const path = join(temp.dir, 'relays.json');
    const writer = await startWriter(path);
    try {
      const refused = await new FileStore(path).open().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreLockedError);
      expect((refused as StoreLockedError).message).toContain(`relay store ${path} is in use by process ${writer.pid}`);
    } finally {
      await killed(writer);
    }
    const store = new FileStore(path);
    await store.open(); // the writer's lock is stale now
    expect((await store.list()).relays.length).toBeGreaterThan(0);
    expect((await readFile(`${path}.lock`, 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('treats a lock file without a pid (a torn write) as stale', async () => {
    const path = join(temp.dir, 'relays.json');
    await writeFile(`${path}.lock`, '');
    const store = new FileStore(path);
    await store.open();
    await store.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('keeps the lock until the last store of this process on the file closes', async () => {
    const path = join(temp.dir, 'relays.json');
    const first = new FileStore(path);
    const second = new FileStore(path);
    await first.open();
    await second.open();
    await first.close();
    expect(existsSync(`${path}.lock`)).toBe(true);
    await second.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('releases the lock when the store file cannot be read', async () => {
    const path = join(temp.dir, 'relays.json');
    await writeFile(path, '{ not json');
    await expect(new FileStore(path).open()).rejects.toThrow();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
