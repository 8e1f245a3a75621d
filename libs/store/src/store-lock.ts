// One process owns a store file. Two mcrd processes on the same file would each keep their own
// table and overwrite the other's acknowledged writes, so the second one must refuse to start.
// The lock is a pid file beside the store (`<store>.lock`), created exclusively; a lock whose
// process is gone (kill -9, power loss) is stale and taken over, so a crash never needs an
// operator to clean up. Node has no flock(); a pid file is what databases such as PostgreSQL use.
import { readFile, unlink, writeFile } from 'node:fs/promises';

/** Thrown when another live process holds the store; names the file and the process. */
export class StoreLockedError extends Error {
  constructor(
    readonly storePath: string,
    readonly ownerPid: number,
    lockPath: string,
  ) {
    super(
      `relay store ${storePath} is in use by process ${ownerPid} (lock file ${lockPath}): ` +
        'one mcrd per store file; stop that process, or give this one its own MCR_STORE',
    );
    this.name = 'StoreLockedError';
  }
}

/** Stores of this process that hold their lock, by lock path (a path may be opened twice in tests). */
const heldHere = new Map<string, number>();

export class StoreLock {
  private released = false;

  private constructor(readonly lockPath: string) {}

  static async acquire(storePath: string): Promise<StoreLock> {
    const lockPath = `${storePath}.lock`;
    const held = heldHere.get(lockPath) ?? 0;
    if (held === 0) await takeLockFile(storePath, lockPath);
    heldHere.set(lockPath, held + 1);
    return new StoreLock(lockPath);
  }

  /** Removes the lock file once the last store of this process on that path closes. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const held = (heldHere.get(this.lockPath) ?? 1) - 1;
    if (held > 0) {
      heldHere.set(this.lockPath, held);
      return;
    }
    heldHere.delete(this.lockPath);
    if ((await readOwner(this.lockPath)) === process.pid) await unlink(this.lockPath).catch(() => undefined);
  }
}

async function takeLockFile(storePath: string, lockPath: string): Promise<void> {
  // Two rounds: the first may find a stale lock and remove it; a second EEXIST means a live rival.
  for (let round = 0; round < 2; round += 1) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(
          `cannot create the lock file ${lockPath} of relay store ${storePath}: ${(error as Error).message}`,
        );
      }
    }
    const owner = await readOwner(lockPath);
    if (owner !== undefined && owner !== process.pid && isAlive(owner))
      throw new StoreLockedError(storePath, owner, lockPath);
    await unlink(lockPath).catch(() => undefined); // stale: its process is gone (or it is ours, from before a restart)
  }
  const owner = (await readOwner(lockPath)) ?? 0;
  throw new StoreLockedError(storePath, owner, lockPath);
}

/** The pid in a lock file; undefined when the file is gone, empty or not a pid (a torn write). */
async function readOwner(lockPath: string): Promise<number | undefined> {
  const text = await readFile(lockPath, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}
