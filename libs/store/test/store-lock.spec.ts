// One process per store file, by the kernel's lock: a second process is refused while the first
// lives, takes the store over once the first is gone (kill -9 needs no operator), and neither a
// pid in the lock file nor a read-only file system is mistaken for a live owner.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tryLockExclusive } from '@mcr/engine';
import { FileStore } from '../src/file-store';
import { StoreLockedError, StoreLockFailedError } from '../src/store-lock';
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

/** Whether some open file holds the kernel lock of `lockPath` (tried through a fresh open file). */
async function isLocked(lockPath: string): Promise<boolean> {
  const file = await open(lockPath, constants.O_RDWR | constants.O_CREAT);
  try {
    return !tryLockExclusive(file.fd);
  } finally {
    await file.close();
  }
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
    await store.open(); // the kernel released the writer's lock when it died
    expect((await store.list()).relays.length).toBeGreaterThan(0);
    expect((await readFile(`${path}.lock`, 'utf8')).trim()).toBe(String(process.pid));
    expect(await isLocked(`${path}.lock`)).toBe(true);
    await store.close();
    expect(await isLocked(`${path}.lock`)).toBe(false);
  });

  it('starts when the lock file names a live process that does not hold the lock (pid reused)', async () => {
    const path = join(temp.dir, 'relays.json');
    const unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await writeFile(`${path}.lock`, `${unrelated.pid}\n`);
      const store = new FileStore(path);
      await store.open();
      expect((await readFile(`${path}.lock`, 'utf8')).trim()).toBe(String(process.pid));
      await store.close();
    } finally {
      await killed(unrelated);
    }
  });

  it('treats a lock file without a pid (a torn write) as free', async () => {
    const path = join(temp.dir, 'relays.json');
    await writeFile(`${path}.lock`, '');
    const store = new FileStore(path);
    await store.open();
    await store.close();
    expect(await isLocked(`${path}.lock`)).toBe(false);
  });

  it('keeps the lock until the last store of this process on the file closes', async () => {
    const path = join(temp.dir, 'relays.json');
    const first = new FileStore(path);
    const second = new FileStore(path);
    await first.open();
    await second.open();
    await first.close();
    expect(await isLocked(`${path}.lock`)).toBe(true);
    await second.close();
    expect(await isLocked(`${path}.lock`)).toBe(false);
  });

  it('releases the lock when the store file cannot be read', async () => {
    const path = join(temp.dir, 'relays.json');
    await writeFile(path, '{ not json');
    await expect(new FileStore(path).open()).rejects.toThrow();
    expect(await isLocked(`${path}.lock`)).toBe(false);
  });

  // Mounting needs root (as the test hosts have); elsewhere the case is skipped.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('says the file system is read-only, not that a dead process holds the store', async () => {
    const mount = join(temp.dir, 'ro');
    await mkdir(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
    try {
      const path = join(mount, 'relays.json');
      await writeFile(`${path}.lock`, '999999999\n'); // left by a process long gone
      execFileSync('mount', ['-o', 'remount,ro', mount]);
      const refused = await new FileStore(path).open().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreLockFailedError);
      expect((refused as Error).message).toMatch(/read-only file system/);
      expect((refused as Error).message).not.toMatch(/in use/);
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});
