import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import type { UploadInfo } from '../../../../shared/uploads';
import { apiClient } from '../../stores/connection';
import { formatBytes } from '../artifacts/ArtifactList';
import { FileBody } from '../artifacts/ArtifactPreview';

type Preview = MethodOutput<'run.inputFile'>;

/** The input files a run was given (kept with it for Re-run); choosing one shows it. */
export function InputFiles({ trajectoryId }: { trajectoryId: string }) {
  const [files, setFiles] = useState<UploadInfo[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | { error: string } | null>(null);
  useEffect(() => void apiClient()['run.inputs']({ trajectoryId }).then((i) => setFiles(i.files), () => setFiles([])), [trajectoryId]);
  useEffect(() => {
    setPreview(null);
    if (!open) return;
    let live = true;
    apiClient()
      ['run.inputFile']({ trajectoryId, uploadId: open })
      .then((p) => live && setPreview(p))
      .catch((err: unknown) => live && setPreview({ error: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [trajectoryId, open]);
  if (files === null) return null;
  if (files.length === 0) return <p className="muted">No input files.</p>;
  return (
    <div className="input-files">
      <ul className="artifact-list" role="list">
        {files.map((f) => (
          <li key={f.id}>
            <button type="button" className={`artifact-row${open === f.id ? ' is-selected' : ''}`} aria-pressed={open === f.id} data-input={f.name} onClick={() => setOpen(open === f.id ? null : f.id)}>
              <span className="artifact-path">{f.name}</span>
              <span className="muted">{formatBytes(f.size)}</span>
            </button>
          </li>
        ))}
      </ul>
      {preview && 'error' in preview && <p className="notice notice-error">{preview.error}</p>}
      {preview && !('error' in preview) && (
        <section className="artifact-preview" aria-label={`Input ${preview.path}`} data-input-preview={preview.path}>
          <FileBody content={preview} />
        </section>
      )}
    </div>
  );
}
