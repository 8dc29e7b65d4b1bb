import { useId, useState, type FormEvent } from 'react';
import { useSettings } from '../../stores/settings';
import { useWorkspaces } from '../../stores/workspaces';

/** A path field to open a folder of runbooks, suggesting recent folders (Electron may add a native dialog next to it). */
export function OpenFolderForm() {
  const openFolder = useWorkspaces((s) => s.openFolder);
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const recent = useSettings((s) => s.settings)?.recentFolders ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = folder.trim();
    if (!value) return setError('Type the path of a folder that holds runbooks.');
    setBusy(true);
    const failure = await openFolder(value);
    setBusy(false);
    setError(failure);
    if (!failure) setFolder('');
  }

  return (
    <form className="open-folder" onSubmit={submit} aria-label="Open folder">
      <label htmlFor={id} className="visually-hidden">
        Folder path
      </label>
      <input
        id={id}
        className="text-input"
        type="text"
        placeholder="/path/to/runbooks"
        spellCheck={false}
        autoComplete="off"
        list={`${id}-recent`}
        value={folder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setFolder(e.target.value)}
      />
      <datalist id={`${id}-recent`}>
        {recent.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Opening…' : 'Open folder'}
      </button>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
