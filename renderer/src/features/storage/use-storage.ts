import { useCallback, useEffect, useState } from 'react';
import type { UploadEntry } from '../../../../shared/storage';
import type { CopyProgress, StorageDescriptionView } from '../../../../shared/storage-api';
import { useConnection } from '../../stores/connection';

/** Every collection with its storage, refreshed when an upload is attempted (`storage.changed`). */
export function useStorageCollections(): { collections: StorageDescriptionView[] | null; reload(): void } {
  const client = useConnection((s) => s.client);
  const [collections, setCollections] = useState<StorageDescriptionView[] | null>(null);
  const reload = useCallback(() => {
    if (client) void client['storage.collections']({}).then((r) => setCollections(r.collections), () => undefined);
  }, [client]);
  useEffect(() => {
    if (!client) return;
    reload();
    return client.on('storage.changed', reload);
  }, [client, reload]);
  return { collections, reload };
}

/** A collection's pending and failed uploads, kept current by `storage.changed` events. */
export function usePendingUploads(collection: string): { uploads: UploadEntry[]; reload(): void } {
  const client = useConnection((s) => s.client);
  const [uploads, setUploads] = useState<UploadEntry[]>([]);
  const reload = useCallback(() => {
    if (client) void client['storage.uploads']({ collection, state: 'pending' }).then((r) => setUploads(r.uploads), () => undefined);
  }, [client, collection]);
  useEffect(() => {
    if (!client) return;
    reload();
    return client.on('storage.changed', (e) => e.collection === collection && reload());
  }, [client, collection, reload]);
  return { uploads, reload };
}

/** The latest copy progress of a collection (`storage.progress` events), null before any. */
export function useCopyProgress(collection: string): CopyProgress | null {
  const client = useConnection((s) => s.client);
  const [progress, setProgress] = useState<CopyProgress | null>(null);
  useEffect(() => {
    setProgress(null);
    if (!client) return;
    return client.on('storage.progress', (p) => p.collection === collection && setProgress(p));
  }, [client, collection]);
  return progress;
}
