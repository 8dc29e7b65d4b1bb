import { useState } from 'react';
import type { ExampleInput } from '../../../../shared/runbook';
import type { UploadInfo } from '../../../../shared/uploads';
import { apiClient } from '../../stores/connection';

/** manifest.json's example inputs as one-click choices: the example's files are copied into uploads, then `onPick` fills the form. */
export function ExampleInputs({ runbookPath, examples, onPick }: { runbookPath: string; examples: ExampleInput[]; onPick(example: ExampleInput, uploads: UploadInfo[]): void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  async function pick(example: ExampleInput) {
    setBusy(example.id);
    setProblem(null);
    try {
      const { files } = example.files.length ? await apiClient()['upload.example']({ runbookPath, exampleId: example.id }) : { files: [] };
      onPick(example, files);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="example-inputs" aria-label="Example inputs">
      <span className="muted small">Try an example:</span>
      {examples.map((e) => (
        <button key={e.id} type="button" className="button button-small" data-example={e.id} disabled={busy !== null} onClick={() => void pick(e)} title={[...e.files.map((f) => f.path), ...Object.entries(e.values).map(([k, v]) => `${k} = ${v}`)].join('\n')}>
          {busy === e.id ? 'Loading…' : e.title}
        </button>
      ))}
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
