// The kernel's exclusive file lock (flock), which Node lacks: @mcr/store locks its store file with
// it, so a lock never outlives the process that holds it, whatever happened to that process.
import { fromNativeError } from './errors';
import { loadAddon } from './loader';

/**
 * Takes an exclusive lock on the open file `fd` without waiting. True when this open file holds
 * it now; false when another open file (another process, or another open() here) holds it. The
 * kernel releases it when `fd` is closed or the process dies. Other failures throw EngineError
 * ERR_MCR_SYSTEM with the errno.
 */
export function tryLockExclusive(fd: number): boolean {
  try {
    return loadAddon().tryLockExclusive(fd);
  } catch (error) {
    throw fromNativeError(error);
  }
}
