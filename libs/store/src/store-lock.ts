// One process owns a store file. Two mcrd processes on the same file would each keep their own
// table and overwrite the other's acknowledged writes, so the second one must refuse to start.
// The lock is the kernel's (flock) on `<store>.lock`, held through a descriptor kept open while the
// store is open: the kernel drops it when its holder dies, however it dies, so a crash never needs
// an operator, and no pid is trusted (a pid can belong to an unrelated process after a reboot).
// The file also names the holder's pid, for the refusal message only.
import { constants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { tryLockExclusive } from '@mcr/engine';

/** Thrown when another process holds the store; names the file and, when known, the process. */
export class StoreLockedError extends Error {
  constructor(
    readonly storePath: string,
    readonly ownerPid: number | undefined,
    lockPath: string,
  ) {
    const owner = ownerPid === undefined ? 'another process' : `process ${ownerPid}`;
    super(
      `relay store ${storePath} is in use by ${owner} (it holds the lock on ${lockPath}): ` +
        'one mcrd per store file; stop that process, or give this one its own MCR_STORE',
    );
    this.name = 'StoreLockedError';
  }
}

/** Thrown when the lock file cannot be opened or locked at all (read-only file system, permissions). */
export class StoreLockFailedError extends Error {
  constructor(storePath: string, lockPath: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    const hint =
      code === 'EROFS'
        ? `${lockPath} is on a read-only file system; put MCR_STORE on a writable one`
        : `check that the store's directory exists and is writable by this user`;
    super(`cannot lock relay store ${storePath}: ${(cause as Error).message}; ${hint}`, { cause });
    this.name = 'StoreLockFailedError';
  }
}

/** Lock files this process holds, with how many open stores share each (tests open a path twice). */
const heldHere = new Map<string, { file: FileHandle; users: number }>();

export class StoreLock {
  private released = false;

  private constructor(readonly lockPath: string) {}

  static async acquire(storePath: string): Promise<StoreLock> {
    const lockPath = `${storePath}.lock`;
    const held = heldHere.get(lockPath);
    if (held !== undefined) held.users += 1;
    else heldHere.set(lockPath, { file: await takeLock(storePath, lockPath), users: 1 });
    return new StoreLock(lockPath);
  }

  /**
   * Closes the lock file once the last store of this process on that path closes, which releases
   * the lock. The file stays: removing it would let a process that opened it just before lock an
   * orphaned file while a third one locks a new file of the same name.
   */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const held = heldHere.get(this.lockPath);
    if (held === undefined || --held.users > 0) return;
    heldHere.delete(this.lockPath);
    await held.file.truncate(0).catch(() => undefined);
    await held.file.close();
  }
}

async function takeLock(storePath: string, lockPath: string): Promise<FileHandle> {
  let file: FileHandle;
  try {
    file = await open(lockPath, constants.O_RDWR | constants.O_CREAT, 0o644);
  } catch (error) {
    throw new StoreLockFailedError(storePath, lockPath, error);
  }
  let locked: boolean;
  try {
    locked = tryLockExclusive(file.fd);
  } catch (error) {
    await file.close();
    throw new StoreLockFailedError(storePath, lockPath, error);
  }
  if (!locked) {
    await file.close();
    throw new StoreLockedError(storePath, await readOwner(lockPath), lockPath);
  }
  // For the operator only: a full disk must not stop a store that it could still read.
  await file
    .truncate(0)
    .then(() => file.write(`${process.pid}\n`, 0))
    .catch(() => undefined);
  return file;
}

/** The pid the holder wrote; undefined when it has not written it (yet) or the file is not readable. */
async function readOwner(lockPath: string): Promise<number | undefined> {
  const text = await readFile(lockPath, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
