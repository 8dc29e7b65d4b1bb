import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/contract';
import { useLocalImages } from '../run/use-local-images';
import { useStorageCollections } from '../storage/use-storage';
import { Row, TextSetting } from './settings-fields';

/**
 * Settings → Sandbox image: the image every run uses and each collection's (over it), with
 * the local images Docker has offered as choices. A run's own choice wins over both.
 */
export function SandboxImageSettings({ settings, save }: { settings: Settings; save(patch: Partial<Settings>): Promise<void> }) {
  const images = useLocalImages();
  const { collections } = useStorageCollections();
  const names = collections?.map((c) => c.collection) ?? [];
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    if (!names.includes(chosen)) setChosen(names[0] ?? '');
  }, [names.join('\n'), chosen]);
  const setCollectionImage = (collection: string, image: string) => {
    const { [collection]: _old, ...others } = settings.collectionImages;
    void save({ collectionImages: image ? { ...others, [collection]: image } : others });
  };
  const set = Object.entries(settings.collectionImages);
  return (
    <section className="settings-section" aria-label="Sandbox image">
      <h2 className="section-title">Sandbox image</h2>
      <p className="small muted">
        A run uses the image chosen for it (the run panel, <code>jetty run --image</code>, <code>image</code> over the API), else its collection&apos;s, else the default image, else <code>JETTY_SANDBOX_IMAGE</code>, else
        its runbook&apos;s <code>image</code> or <code>snapshot</code> (built on first use, which needs a registry for its base image).
      </p>
      <TextSetting
        label="Default image"
        value={settings.defaultImage}
        placeholder="the runbook's snapshot"
        images={images}
        onSave={(v) => void save({ defaultImage: v })}
        hint={images.length > 0 ? `Docker has ${images.length} local ${images.length === 1 ? 'image' : 'images'}, offered as you type.` : 'Docker lists no local images.'}
      />
      {names.length > 0 && (
        <>
          <Row label="Collection">
            <select className="text-input" aria-label="Collection of the image" value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {names.map((name) => (
                <option key={name} value={name}>
                  {name}
                  {settings.collectionImages[name] ? ` — ${settings.collectionImages[name]}` : ''}
                </option>
              ))}
            </select>
          </Row>
          {chosen && (
            <TextSetting
              key={chosen}
              label="Collection image"
              value={settings.collectionImages[chosen] ?? ''}
              placeholder="the default image"
              images={images}
              onSave={(v) => setCollectionImage(chosen, v)}
              hint={`Every run of ${chosen} that does not choose its own. Empty: the default image.`}
            />
          )}
        </>
      )}
      {set.length > 0 && (
        <Row label="Set for">
          <ul className="collection-images" data-collection-images>
            {set.map(([collection, image]) => (
              <li key={collection} data-collection-image={collection}>
                <code>{collection}</code> → <code>{image}</code>{' '}
                <button type="button" className="button button-small button-quiet" onClick={() => setCollectionImage(collection, '')}>
                  Clear
                </button>
              </li>
            ))}
          </ul>
        </Row>
      )}
    </section>
  );
}
