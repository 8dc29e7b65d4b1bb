import type { StorageBackendName, StorageSettings } from '../../../../shared/storage';

/** The storage form's fields as typed (strings and checkboxes), before they become settings. */
export interface StorageDraft {
  backend: StorageBackendName;
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string;
  forcePathStyle: boolean;
  pruneLocal: boolean;
}

export const draftOf = (settings: StorageSettings): StorageDraft =>
  settings.backend === 'local'
    ? { backend: 'local', bucket: '', prefix: '', region: '', endpoint: '', forcePathStyle: false, pruneLocal: false }
    : {
        backend: settings.backend,
        bucket: settings.bucket,
        prefix: settings.prefix,
        region: settings.region ?? '',
        endpoint: settings.endpoint ?? '',
        forcePathStyle: settings.forcePathStyle ?? false,
        pruneLocal: settings.pruneLocal,
      };

/** The settings a draft stands for (empty optional fields left out; the engine validates the rest). */
export const settingsOf = (d: StorageDraft): StorageSettings =>
  d.backend === 'local'
    ? { backend: 'local' }
    : {
        backend: d.backend,
        bucket: d.bucket.trim(),
        prefix: d.prefix.trim(),
        ...(d.region.trim() ? { region: d.region.trim() } : {}),
        ...(d.endpoint.trim() ? { endpoint: d.endpoint.trim() } : {}),
        ...(d.forcePathStyle ? { forcePathStyle: true } : {}),
        pruneLocal: d.pruneLocal,
      };

/** Whether two settings put artifacts in a different place (a switch that may call for a copy). */
export const movesArtifacts = (a: StorageSettings, b: StorageSettings): boolean => {
  const place = (s: StorageSettings) => (s.backend === 'local' ? 'local' : `${s.backend}|${s.bucket}|${s.prefix}|${s.endpoint ?? ''}`);
  return place(a) !== place(b);
};
