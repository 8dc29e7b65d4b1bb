import { useEffect, useState, type ReactNode } from 'react';
import { STORAGE_BACKENDS, type ConnectionTest } from '../../../../shared/storage';
import type { CopyPlan, StorageDescriptionView } from '../../../../shared/storage-api';
import { apiClient } from '../../stores/connection';
import { ConnectionResult } from './ConnectionResult';
import { CopyOffer, CopyProgressBar } from './CopyOffer';
import { PendingUploads } from './PendingUploads';
import { draftOf, movesArtifacts, settingsOf, type StorageDraft } from './settings-draft';

const BACKEND_NAMES: Record<StorageDraft['backend'], string> = { local: 'This computer (data folder)', s3: 'Amazon S3 (or S3-compatible)', r2: 'Cloudflare R2', gcs: 'Google Cloud Storage (HMAC keys)' };
const CREDENTIALS: Record<StorageDescriptionView['credentials'], string> = { vault: 'Keys are in the secret store.', environment: 'Keys come from the environment (AWS_* variables).', none: 'No keys yet.' };

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="storage-field">
      <span className="settings-label">{label}</span>
      {children}
    </label>
  );
}

/**
 * One collection's storage: backend, bucket, prefix, region, endpoint, path-style and
 * prune-local; keys go to the secret store and are never shown back. Saving a new place
 * offers to copy the existing artifacts; Test connection tests the saved settings.
 */
export function CollectionStorageForm({ description, onSaved }: { description: StorageDescriptionView; onSaved(): void }) {
  const { collection } = description;
  const [draft, setDraft] = useState<StorageDraft>(() => draftOf(description.settings));
  const [keys, setKeys] = useState({ accessKeyId: '', secretAccessKey: '' });
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTest | 'testing' | null>(null);
  const [offer, setOffer] = useState<CopyPlan | null>(null);
  useEffect(() => setDraft(draftOf(description.settings)), [description.settings]);
  const set = (patch: Partial<StorageDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const remote = draft.backend !== 'local';
  const dirty = JSON.stringify(settingsOf(draft)) !== JSON.stringify(description.settings) || Boolean(keys.accessKeyId || keys.secretAccessKey);

  const save = async () => {
    setError(null);
    const settings = settingsOf(draft);
    const credentials = keys.accessKeyId && keys.secretAccessKey ? keys : undefined;
    try {
      await apiClient()['storage.configure']({ collection, settings, credentials });
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setKeys({ accessKeyId: '', secretAccessKey: '' });
    setTest(null);
    onSaved();
    if (movesArtifacts(description.settings, settings)) {
      const plan = await apiClient()['storage.copyPlan']({ collection });
      if (plan.count > 0) setOffer(plan);
    }
  };
  const runTest = () => {
    setTest('testing');
    void apiClient()['storage.test']({ collection }).then(setTest, (e: Error) => setError(e.message));
  };

  return (
    <div className="collection-storage" data-collection-storage={collection}>
      <form
        className="storage-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="Backend">
          <select className="text-input" aria-label="Storage backend" value={draft.backend} onChange={(e) => set({ backend: e.target.value as StorageDraft['backend'] })}>
            {STORAGE_BACKENDS.map((b) => (
              <option key={b} value={b}>
                {BACKEND_NAMES[b]}
              </option>
            ))}
          </select>
        </Field>
        {remote && (
          <>
            <Field label="Bucket">
              <input className="text-input" aria-label="Bucket" value={draft.bucket} spellCheck={false} onChange={(e) => set({ bucket: e.target.value })} required />
            </Field>
            <Field label="Prefix">
              <input className="text-input" aria-label="Prefix" value={draft.prefix} placeholder="(the bucket's root)" spellCheck={false} onChange={(e) => set({ prefix: e.target.value })} />
            </Field>
            <Field label="Region">
              <input className="text-input" aria-label="Region" value={draft.region} placeholder={draft.backend === 's3' ? 'AWS_REGION, else us-east-1' : 'auto'} onChange={(e) => set({ region: e.target.value })} />
            </Field>
            <Field label="Endpoint">
              <input
                className="text-input"
                aria-label="Endpoint"
                value={draft.endpoint}
                spellCheck={false}
                placeholder={draft.backend === 'r2' ? 'https://<account id>.r2.cloudflarestorage.com' : draft.backend === 'gcs' ? 'https://storage.googleapis.com' : 'AWS (or any S3-compatible server URL)'}
                onChange={(e) => set({ endpoint: e.target.value })}
              />
            </Field>
            <label className="storage-check">
              <input type="checkbox" checked={draft.forcePathStyle} onChange={(e) => set({ forcePathStyle: e.target.checked })} /> Path-style URLs (endpoint/bucket/key)
            </label>
            <label className="storage-check">
              <input type="checkbox" checked={draft.pruneLocal} onChange={(e) => set({ pruneLocal: e.target.checked })} /> Delete local copies once an upload is verified (sha256)
            </label>
            <Field label="Access key ID">
              <input className="text-input" aria-label="Access key ID" autoComplete="off" value={keys.accessKeyId} placeholder={description.credentials === 'vault' ? '•••••••• (stored)' : ''} onChange={(e) => setKeys((k) => ({ ...k, accessKeyId: e.target.value }))} />
            </Field>
            <Field label="Secret access key">
              <input className="text-input" type="password" aria-label="Secret access key" autoComplete="off" value={keys.secretAccessKey} placeholder={description.credentials === 'vault' ? '•••••••• (stored)' : ''} onChange={(e) => setKeys((k) => ({ ...k, secretAccessKey: e.target.value }))} />
            </Field>
            <p className="small muted" data-storage-credentials={description.credentials}>
              {CREDENTIALS[description.credentials]} New keys replace them; they are never shown again.
            </p>
          </>
        )}
        {error && <p className="notice notice-error">{error}</p>}
        <div className="storage-actions">
          <button type="submit" className="button button-primary" disabled={!dirty}>
            Save
          </button>
          {description.settings.backend !== 'local' && (
            <button type="button" className="button" onClick={runTest} disabled={dirty || test === 'testing'} title={dirty ? 'Save to test these settings' : undefined}>
              {test === 'testing' ? 'Testing…' : 'Test connection'}
            </button>
          )}
        </div>
      </form>
      {test && test !== 'testing' && <ConnectionResult result={test} />}
      {offer && <CopyOffer plan={offer} onClose={() => setOffer(null)} />}
      <CopyProgressBar collection={collection} />
      {description.settings.backend !== 'local' && <PendingUploads collection={collection} />}
    </div>
  );
}
