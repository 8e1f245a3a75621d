// Temporary directories for FileStore tests, removed after each test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function makeTempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcr-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
