// Public API of @mcr/store: the RelayStore contract and its errors, the embedded FileStore, and
// createStoreFromUrl for MCR_STORE.
export * from './relay-store';
export { DEFAULT_WATCH_HISTORY_CHANGES, FileStore, type FileStoreOptions } from './file-store';
export { STORE_FILE_FORMAT, STORE_FILE_VERSION, StoreFileCorruptError } from './store-file';
export { createStoreFromUrl, type StoreUrlOptions } from './store-url';
