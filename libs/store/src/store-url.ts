// MCR_STORE parsing: `file:<path>` (relative to the working directory) gives the embedded FileStore;
// etcd URLs are reserved for the EtcdStore.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStore, type FileStoreOptions } from './file-store';
import type { RelayStore } from './relay-store';

export interface StoreUrlOptions extends FileStoreOptions {
  /** Base for relative file paths; default process.cwd(). */
  cwd?: string;
}

/** Returns an unopened store for `url`; throws naming the value when it cannot be used. */
export function createStoreFromUrl(url: string, options: StoreUrlOptions = {}): RelayStore {
  if (url.startsWith('etcd://') || url.startsWith('etcds://')) {
    throw new Error(
      `MCR_STORE '${url}': the etcd store is not built into this MCR yet; use file:<path> (e.g. file:./data/relays.json)`,
    );
  }
  if (!url.startsWith('file:')) {
    throw new Error(`MCR_STORE '${url}' is not a store URL: use file:<path>, etcd://host:port[,host:port...] or etcds://...`);
  }
  const path = url.startsWith('file://') ? fileUrlPath(url) : url.slice('file:'.length);
  if (path === '') throw new Error(`MCR_STORE '${url}' names no file: use file:<path>, e.g. file:./data/relays.json`);
  const { cwd = process.cwd(), ...storeOptions } = options;
  return new FileStore(isAbsolute(path) ? path : resolve(cwd, path), storeOptions);
}

function fileUrlPath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (error) {
    throw new Error(`MCR_STORE '${url}' is not a valid file URL: ${(error as Error).message}`);
  }
}
