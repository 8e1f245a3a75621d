// Public API of @mcr/store: the RelayStore contract and its errors, the embedded FileStore, and
// the EtcdStore of an HA cluster (and its connection and key layout, shared with leadership), and
// createStoreFromUrl for MCR_STORE.
export * from './relay-store';
export { DEFAULT_WATCH_HISTORY_CHANGES, FileStore, type FileStoreOptions } from './file-store';
export { StoreLockedError, StoreLockFailedError } from './store-lock';
export { STORE_FILE_FORMAT, STORE_FILE_VERSION, StoreFileCorruptError } from './store-file';
export { createStoreFromUrl, type StoreUrlOptions } from './store-url';
export { EtcdStore, type EtcdStoreOptions } from './etcd-store';
export {
  createEtcdClient,
  DEFAULT_ETCD_CALL_TIMEOUT_MS,
  etcdClientOptions,
  isEtcdUnavailable,
  isEtcdUrl,
  parseEtcdUrl,
  type EtcdConnectionOptions,
} from './etcd-connection';
export { EtcdKeys, prefixEnd } from './etcd-keys';
export { ETCD_IMPORT_MAX_BYTES, ETCD_MAX_TXN_OPS, ImportTooLargeError } from './etcd-import';
export type { Etcd3, Watcher } from 'etcd3';
