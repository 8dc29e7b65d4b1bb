export { createStorageService, type StorageService, type StorageDescription, type SecretStore, type UploadAttempt } from './service';
export { StorageError, type StorageBackend, type ByteRange } from './types';
export { openBackend } from './registry';
export { parseRange } from './range';
