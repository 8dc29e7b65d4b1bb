import { useEffect, useState } from 'react';
import { WARM_POOL_DEFAULT, WARM_POOL_MAX, type MethodOutput, type Settings } from '../../../../shared/contract';
import { apiClient } from '../../stores/connection';
import { Row } from './settings-fields';

type PoolStatus = NonNullable<MethodOutput<'docker.status'>['pool']>;

/** What the pool has parked now, e.g. "2 parked: jetty-sandbox/python312-uv:latest (2)". */
function describe(pool: PoolStatus): string {
  const parked = pool.parked.filter((p) => p.count > 0);
  const total = parked.reduce((n, p) => n + p.count, 0);
  if (total === 0) return pool.warming ? 'warming…' : 'none parked yet (a run of an image warms it)';
  const list = parked.map((p) => `${p.image}${p.network === 'true' ? '' : ` (network ${p.network === 'false' ? 'off' : p.network})`} ×${p.count}`).join(', ');
  return `${total} parked: ${list}${pool.warming ? ' — warming' : ''}`;
}

/**
 * Settings → Warm sandboxes: how many started containers are kept parked per image runs
 * use, so a run adopts one instead of waiting for Docker to make it; 0 turns it off.
 */
export function WarmPoolSettings({ settings, save }: { settings: Settings; save(patch: Partial<Settings>): Promise<void> }) {
  const [pool, setPool] = useState<PoolStatus | null | undefined>(undefined);
  const size = settings.warmPoolSize ?? WARM_POOL_DEFAULT;
  const refresh = () => void apiClient()['docker.status']({}).then((s) => setPool(s.pool ?? null), () => setPool(null));
  useEffect(refresh, [size]);
  return (
    <section className="settings-section" aria-label="Warm sandboxes">
      <h2 className="section-title">Warm sandboxes</h2>
      <Row
        label="Kept warm per image"
        hint="Started containers parked for the images, limits and network that runs used in the last 10 minutes: a run adopts one (its environment, secrets and files go in then) instead of waiting for Docker to make one, and it is never used again. Refilled after a run has started, one at a time, when runs leave Docker alone. 0 turns it off. jetty run, a one-shot process, keeps none."
      >
        <select className="text-input" aria-label="Warm sandboxes per image" value={size} onChange={(e) => void save({ warmPoolSize: Number(e.target.value) }).then(refresh)}>
          {Array.from({ length: WARM_POOL_MAX + 1 }, (_, n) => (
            <option key={n} value={n}>
              {n === 0 ? '0 (off)' : n}
            </option>
          ))}
        </select>
      </Row>
      {pool !== undefined && (
        <Row label="Now">
          <span className="muted" data-warm-pool={pool ? pool.parked.reduce((n, p) => n + p.count, 0) : 'none'}>
            {pool ? describe(pool) : 'no pool here'}{' '}
            <button type="button" className="button button-small" onClick={refresh}>
              Refresh
            </button>
          </span>
        </Row>
      )}
    </section>
  );
}
