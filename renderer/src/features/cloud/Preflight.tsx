import { useState } from 'react';
import type { CloudAuditHit } from '../../../../shared/cloud';
import { apiClient } from '../../stores/connection';
import { messageOf } from './cloud-store';

export interface PreflightResult {
  collection: string;
  collectionExists: boolean;
  required: string[];
  missing: string[];
  inVault: string[];
}

/** A missing secret: set from the local vault (it has a value), or typed in here (stored in the vault; never shown back). */
function MissingSecret({ name, inVault, onSet }: { name: string; inVault: boolean; onSet(): void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <li className="secret-row" data-missing-secret={name} data-in-vault={inVault}>
      <div className="secret-head">
        <code>{name}</code>
        <span className={`pill ${inVault ? 'pill-ok' : 'pill-error'}`}>{inVault ? 'set from the local vault on deploy' : 'missing on the remote'}</span>
      </div>
      {!inVault && (
        <form
          className="secret-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!value) return;
            apiClient()
              ['secrets.set']({ name, value })
              .then(() => (setValue(''), setError(null), onSet()))
              .catch((err: unknown) => setError(messageOf(err)));
          }}
        >
          <input className="text-input" type="password" autoComplete="off" aria-label={`Value of ${name}`} placeholder="Type the value" value={value} onChange={(e) => setValue(e.target.value)} />
          <button type="submit" className="button" disabled={!value}>
            Set
          </button>
        </form>
      )}
      {error && <p className="field-error">{error}</p>}
    </li>
  );
}

/** The secret preflight: which of the runbook's secrets the collection lacks, and how each gets set. */
export function SecretPreflight({ preflight, onChanged }: { preflight: PreflightResult; onChanged(): void }) {
  return (
    <div className="cloud-preflight" aria-label="Secret preflight" data-missing={preflight.missing.join(',')}>
      <p className="muted small">
        {preflight.collectionExists ? `Collection ${preflight.collection} exists.` : `Collection ${preflight.collection} does not exist yet: deploying creates it.`}{' '}
        {preflight.required.length === 0 ? 'The runbook declares no secrets.' : `Declared secrets: ${preflight.required.join(', ')}.`}
      </p>
      {preflight.missing.length === 0 ? (
        preflight.required.length > 0 && <p className="notice notice-ok">Every declared secret is set on the remote.</p>
      ) : (
        <ul className="secret-list">
          {preflight.missing.map((name) => (
            <MissingSecret key={name} name={name} inVault={preflight.inVault.includes(name)} onSet={onChanged} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** Secret-audit hits (file, line, secret name; never a value), each item overridable. */
export function AuditBlocks({ hits, allowed, onAllow }: { hits: CloudAuditHit[]; allowed: string[]; onAllow(item: string, allow: boolean): void }) {
  if (hits.length === 0) return null;
  const items = [...new Set(hits.map((h) => h.item))];
  return (
    <div className="notice notice-error cloud-audit" role="alert" aria-label="Secret audit">
      <strong>Blocked: secrets in what would be sent.</strong>
      <ul>
        {hits.map((h) => (
          <li key={`${h.item}:${h.line}:${h.secret}`} data-audit-hit={h.item}>
            <code>{h.item}</code>, line {h.line}: <code>{h.secret}</code>
            {h.encoding !== 'plain' && h.encoding !== 'shape' && ` (${h.encoding})`}
          </li>
        ))}
      </ul>
      {items.map((item) => (
        <label key={item} className="cloud-override">
          <input type="checkbox" checked={allowed.includes(item)} onChange={(e) => onAllow(item, e.target.checked)} /> Send {item} anyway
        </label>
      ))}
    </div>
  );
}
