import { useCallback, useEffect, useState } from 'react';
import type { Secret } from '../../../../shared/runbook';
import { apiClient } from '../../stores/connection';

type Storage = 'keychain' | 'encrypted-file';

export const STORAGE_TEXT: Record<Storage, string> = {
  keychain: 'Values are kept encrypted with a key in the OS keychain; they are never shown again or written to trajectories.',
  'encrypted-file': 'Values are kept in an encrypted file in the data folder; they are never shown again or written to trajectories.',
};

/** Which declared secrets are configured; reloads after each change. */
export function useSecretStatus(names: string[]) {
  const [status, setStatus] = useState<{ storage: Storage; configured: Record<string, boolean> } | null>(null);
  const key = names.join(',');
  const reload = useCallback(async () => {
    if (!key) return setStatus(null);
    const res = await apiClient()['secrets.status']({ names: key.split(',') });
    setStatus({ storage: res.storage, configured: Object.fromEntries(res.secrets.map((s) => [s.name, s.configured])) });
  }, [key]);
  useEffect(() => void reload(), [reload]);
  return { status, reload };
}

function SecretRow({ secret, configured, onChanged }: { secret: Secret; configured: boolean; onChanged(): void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = async (call: () => Promise<unknown>) => {
    try {
      await call();
      setValue('');
      setError(null);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <li className="secret-row" data-secret={secret.name} data-configured={configured}>
      <div className="secret-head">
        <code>{secret.name}</code>
        <span className={`pill ${configured ? 'pill-ok' : secret.required ? 'pill-error' : 'pill-muted'}`}>
          {configured ? 'configured' : secret.required ? 'missing' : 'not set (optional)'}
        </span>
      </div>
      {secret.description && <small className="muted">{secret.description}</small>}
      <form
        className="secret-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (value) void act(() => apiClient()['secrets.set']({ name: secret.name, value }));
        }}
      >
        <input
          className="text-input"
          type="password"
          autoComplete="off"
          aria-label={`Value of ${secret.name}`}
          placeholder={configured ? 'Replace the value' : 'Paste the value'}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button" disabled={!value}>
          Set
        </button>
        {configured && (
          <button type="button" className="button button-quiet" onClick={() => void act(() => apiClient()['secrets.clear']({ name: secret.name }))}>
            Clear
          </button>
        )}
      </form>
      {error && <p className="field-error">{error}</p>}
    </li>
  );
}

/** Every secret the runbook declares: configured or missing, set and cleared in place. */
export function SecretsCheck({ secrets, configured, storage, onChanged }: { secrets: Secret[]; configured: Record<string, boolean>; storage: Storage | null; onChanged(): void }) {
  if (secrets.length === 0) return <p className="muted">This runbook declares no secrets.</p>;
  return (
    <>
      <ul className="secret-list">
        {secrets.map((s) => (
          <SecretRow key={s.name} secret={s} configured={configured[s.name] ?? false} onChanged={onChanged} />
        ))}
      </ul>
      {storage && <p className="muted small">{STORAGE_TEXT[storage]}</p>}
    </>
  );
}
