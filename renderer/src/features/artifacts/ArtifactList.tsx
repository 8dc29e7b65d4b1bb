import { useState } from 'react';
import type { Artifact } from '../../../../shared/trajectory';
import { UploadMarker, useArtifactUploads } from '../storage/UploadMarker';
import { ArtifactPreview } from './ArtifactPreview';

export const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

/** A trajectory's result files; choosing one previews it below. */
export function ArtifactList({ trajectoryId, artifacts }: { trajectoryId: string; artifacts: Artifact[] }) {
  const [open, setOpen] = useState<string | null>(artifacts[0]?.path ?? null);
  const uploads = useArtifactUploads(trajectoryId);
  if (artifacts.length === 0) return <p className="muted">No result files.</p>;
  return (
    <div className="artifacts">
      <ul className="artifact-list" role="list">
        {artifacts.map((a) => (
          <li key={a.path}>
            <button type="button" className={`artifact-row${open === a.path ? ' is-selected' : ''}`} aria-pressed={open === a.path} data-artifact={a.path} onClick={() => setOpen(a.path)}>
              <span className="artifact-path">{a.path}</span>
              <span className="muted">
                {a.media_type} · {formatBytes(a.size)}
              </span>
              <UploadMarker upload={uploads.get(a.path)} />
            </button>
          </li>
        ))}
      </ul>
      {open && <ArtifactPreview trajectoryId={trajectoryId} path={open} />}
    </div>
  );
}
