import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { useConnection } from '../../stores/connection';
import './storage.css';

type ArtifactUpload = MethodOutput<'storage.artifacts'>['uploads'][number];

/** A trajectory's artifacts' upload states by path, kept current by `storage.changed` events. */
export function useArtifactUploads(trajectoryId: string): Map<string, ArtifactUpload> {
  const client = useConnection((s) => s.client);
  const [uploads, setUploads] = useState<Map<string, ArtifactUpload>>(new Map());
  const reload = useCallback(() => {
    if (client) void client['storage.artifacts']({ id: trajectoryId }).then((r) => setUploads(new Map(r.uploads.map((u) => [u.path, u]))), () => undefined);
  }, [client, trajectoryId]);
  useEffect(() => {
    if (!client) return;
    reload();
    return client.on('storage.changed', (e) => e.trajectoryId === trajectoryId && reload());
  }, [client, trajectoryId, reload]);
  return uploads;
}

/** "upload pending" (with the last failure) or "uploaded" beside an artifact that goes to a remote backend. */
export function UploadMarker({ upload }: { upload: ArtifactUpload | undefined }) {
  if (!upload || upload.location === 'local') return null;
  if (upload.state === 'done') {
    return (
      <span className="pill pill-ok upload-marker" data-upload-state="done" title={upload.location}>
        uploaded
      </span>
    );
  }
  return (
    <span className="pill pill-warning upload-marker" data-upload-state="pending" title={upload.lastError ? `${upload.attempts} attempts failed: ${upload.lastError}` : `waiting to go to ${upload.location}`}>
      upload pending
    </span>
  );
}
