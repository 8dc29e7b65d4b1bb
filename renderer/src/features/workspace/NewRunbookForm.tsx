import { useId, useState, type FormEvent } from 'react';
import { apiClient } from '../../stores/connection';
import { useSelection } from '../../stores/selection';

/** Creates `<folder>/<collection>/<name>/RUNBOOK.md` from a bundled template and opens it. */
export function NewRunbookForm({ folder, onDone }: { folder: string; onDone(): void }) {
  const id = useId();
  const [collection, setCollection] = useState('');
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<'programmatic' | 'rubric'>('programmatic');
  const [error, setError] = useState<string | null>(null);
  const select = useSelection((s) => s.select);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const created = await apiClient()['runbook.create']({ folder, collection: collection.trim(), name: name.trim(), template });
      onDone();
      select(created.path);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <form className="new-runbook" onSubmit={submit} aria-label={`New runbook in ${folder}`}>
      <label htmlFor={`${id}-c`}>Collection</label>
      <input id={`${id}-c`} className="text-input" placeholder="reports" value={collection} onChange={(e) => setCollection(e.target.value)} autoFocus />
      <label htmlFor={`${id}-n`}>Name</label>
      <input id={`${id}-n`} className="text-input" placeholder="weekly-summary" value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-t`}>Template</label>
      <select id={`${id}-t`} className="text-input" value={template} onChange={(e) => setTemplate(e.target.value as typeof template)}>
        <option value="programmatic">programmatic (PASS/FAIL checks)</option>
        <option value="rubric">rubric (1–5 scores)</option>
      </select>
      <div className="new-runbook-actions">
        <button type="submit" className="button button-primary" disabled={!collection.trim() || !name.trim()}>
          Create
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
