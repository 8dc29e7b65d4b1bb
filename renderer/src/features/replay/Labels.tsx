import { useState } from 'react';
import type { Trajectory } from '../../../../shared/trajectory';
import { apiClient } from '../../stores/connection';

const AUTHOR_KEY = 'jetty.labelAuthor';

/** A trajectory's labels: remove any, add key/value with an author (remembered). */
export function Labels({ trajectory, onChange }: { trajectory: Trajectory; onChange(t: Trajectory): void }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [author, setAuthor] = useState(() => localStorage.getItem(AUTHOR_KEY) ?? '');
  const [error, setError] = useState<string | null>(null);

  const act = async (call: () => Promise<Trajectory>) => {
    try {
      onChange(await call());
      setError(null);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    }
  };
  const add = async () => {
    if (!key.trim() || !author.trim()) return setError('A label needs a key and an author.');
    localStorage.setItem(AUTHOR_KEY, author.trim());
    if (await act(() => apiClient()['label.add']({ id: trajectory.id, label: { key: key.trim(), value: value.trim(), author: author.trim() } }))) {
      setKey('');
      setValue('');
    }
  };

  return (
    <div className="labels">
      {trajectory.labels.length === 0 ? (
        <p className="muted">No labels yet.</p>
      ) : (
        <ul className="label-list">
          {trajectory.labels.map((l) => (
            <li key={`${l.key}=${l.value}`} className="label-chip" data-label={`${l.key}=${l.value}`} title={`by ${l.author}${l.created_at ? ` on ${new Date(l.created_at).toLocaleString()}` : ''}`}>
              <span>
                {l.key}
                {l.value && <>={l.value}</>}
              </span>
              <span className="muted small">{l.author}</span>
              <button type="button" className="chip-remove" aria-label={`Remove label ${l.key}`} onClick={() => void act(() => apiClient()['label.remove']({ id: trajectory.id, key: l.key, value: l.value }))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="label-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input className="text-input" aria-label="Label key" placeholder="key" value={key} onChange={(e) => setKey(e.target.value)} />
        <input className="text-input" aria-label="Label value" placeholder="value" value={value} onChange={(e) => setValue(e.target.value)} />
        <input className="text-input" aria-label="Label author" placeholder="author" value={author} onChange={(e) => setAuthor(e.target.value)} />
        <button type="submit" className="button">
          Add label
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
