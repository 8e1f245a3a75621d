// Durable file replacement: after writeFileAtomic resolves, a crash (kill -9, power loss) leaves
// either the old or the new contents at `path`, never a mix, and the new contents survive.
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let tempCounter = 0;

/** The temp file names writeFileAtomic uses for `path`, so leftovers of a crash can be found. */
export function isTempFileOf(path: string, candidate: string): boolean {
  return candidate.startsWith(`.${basename(path)}.`) && candidate.endsWith('.tmp');
}

/** Temp file in the same directory (rename is atomic only within a file system), fsync, rename, fsync dir. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${process.pid}.${tempCounter++}.tmp`);
  try {
    const file = await open(temp, 'wx', 0o644);
    try {
      await file.writeFile(data, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
