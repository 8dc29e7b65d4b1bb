import { useState } from 'react';
import type { Artifact } from '../../../../shared/trajectory';
import { UploadMarker, useArtifactUploads } from '../storage/UploadMarker';
import { artifactBytes, artifactLocation, saveBlob } from './artifact-files';
import { ArtifactPreview, FullSize } from './ArtifactPreview';
import { useArtifact } from './load-artifact';

export const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What can be done with the previewed file: download it whole, open it full size, copy where it is on this machine. */
function ArtifactActions({ trajectoryId, path }: { trajectoryId: string; path: string }) {
  const { content } = useArtifact(trajectoryId, path);
  const [full, setFull] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const act = (work: () => Promise<string | null>) => void work().then(setNote, (err: unknown) => setNote(messageOf(err)));
  return (
    <div className="artifact-actions" data-actions-for={path}>
      <button type="button" className="button button-small" onClick={() => act(async () => (saveBlob(await artifactBytes(trajectoryId, path, content), path.split('/').pop() ?? path), null))}>
        Download
      </button>
      <button type="button" className="button button-small" disabled={!content} onClick={() => setFull(true)}>
        Open full size
      </button>
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          act(async () => {
            const location = await artifactLocation(trajectoryId, path);
            await navigator.clipboard.writeText(location);
            return `Copied ${location}`;
          })
        }
      >
        Copy path
      </button>
      {note && (
        <span className="muted small artifact-note" role="status">
          {note}
        </span>
      )}
      {full && content && <FullSize content={content} onClose={() => setFull(false)} />}
    </div>
  );
}

/** A trajectory's result files; choosing one previews it below, with its actions. */
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
      {open && <ArtifactActions key={open} trajectoryId={trajectoryId} path={open} />}
      {open && <ArtifactPreview trajectoryId={trajectoryId} path={open} />}
    </div>
  );
}
