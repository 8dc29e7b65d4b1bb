import { useEffect, useState } from 'react';
import { CollectionStorageForm } from './CollectionStorageForm';
import { useStorageCollections } from './use-storage';
import './storage.css';

/** Settings → Storage: where each collection keeps its artifacts (pick a collection, then its backend). */
export function StorageSettings() {
  const { collections, reload } = useStorageCollections();
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    if (collections && !collections.some((c) => c.collection === chosen)) setChosen(collections[0]?.collection ?? null);
  }, [collections, chosen]);
  const description = collections?.find((c) => c.collection === chosen);
  return (
    <section className="settings-section storage-settings" aria-label="Storage">
      <h2 className="section-title">Storage (per collection)</h2>
      <p className="small muted">Artifacts are written here first, then uploaded to the collection&apos;s backend from a durable queue and verified by sha256.</p>
      {collections && collections.length === 0 && <p className="muted">No collections yet: open a folder with runbooks, or create one over the API.</p>}
      {collections && collections.length > 0 && (
        <div className="settings-row">
          <span className="settings-label">Collection</span>
          <div className="settings-control">
            <select className="text-input" aria-label="Collection" value={chosen ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {collections.map((c) => (
                <option key={c.collection} value={c.collection}>
                  {c.collection} — {c.settings.backend}
                  {c.pending > 0 ? ` (${c.pending} pending)` : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      {description && <CollectionStorageForm key={description.collection} description={description} onSaved={reload} />}
    </section>
  );
}
