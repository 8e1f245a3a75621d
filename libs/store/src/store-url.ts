// MCR_STORE parsing: `file:<path>` (relative to the working directory) gives the embedded FileStore;
// `etcd://host:port[,host:port...]` / `etcds://...` the EtcdStore of an HA cluster.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EtcdStore, type EtcdStoreOptions } from './etcd-store';
import { FileStore, type FileStoreOptions } from './file-store';
import { isEtcdUrl, parseEtcdUrl } from './etcd-connection';
import type { RelayStore } from './relay-store';

export interface StoreUrlOptions extends FileStoreOptions {
  /** Base for relative file paths; default process.cwd(). */
  cwd?: string;
  /** Prefix, cluster, TLS and auth of an etcd store (ignored for file stores). */
  etcd?: Omit<EtcdStoreOptions, 'url'>;
}

/** Returns an unopened store for `url`; throws naming the value when it cannot be used. */
export function createStoreFromUrl(url: string, options: StoreUrlOptions = {}): RelayStore {
  if (isEtcdUrl(url)) {
    parseEtcdUrl(url);
    return new EtcdStore({ ...options.etcd, watchHistoryChanges: options.watchHistoryChanges, url });
  }
  if (!url.startsWith('file:')) {
    throw new Error(
      `MCR_STORE '${url}' is not a store URL: use file:<path>, etcd://host:port[,host:port...] or etcds://...`,
    );
  }
  const path = url.startsWith('file://') ? fileUrlPath(url) : url.slice('file:'.length);
  if (path === '') throw new Error(`MCR_STORE '${url}' names no file: use file:<path>, e.g. file:./data/relays.json`);
  const { cwd = process.cwd(), etcd: _etcd, ...storeOptions } = options;
  return new FileStore(isAbsolute(path) ? path : resolve(cwd, path), storeOptions);
}

function fileUrlPath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (error) {
    throw new Error(`MCR_STORE '${url}' is not a valid file URL: ${(error as Error).message}`);
  }
}
