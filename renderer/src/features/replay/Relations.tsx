import { useEffect, useState } from 'react';
import type { TrajectoryRelations } from '../../../../shared/trajectory-search';
import { apiClient, useConnection } from '../../stores/connection';
import { useView } from '../../stores/view';
import { OriginBadge } from '../trajectories/OriginBadge';

const KIND = { call: 'a model call of', child: 'a child workflow of', runbook: 'a runbook run of', rerun: 'a re-run of' } as const;

/** A trajectory's relations, read again when its header changes (a re-run of it may start meanwhile). */
export function useRelations(id: string): TrajectoryRelations | null {
  const client = useConnection((s) => s.client);
  const [relations, setRelations] = useState<TrajectoryRelations | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => void apiClient()['trajectory.relations']({ id }).then((r) => live && setRelations(r), () => undefined);
    load();
    const off = client?.on('trajectory.changed', (t) => (t.id === id || t.status === 'pending') && load());
    return () => {
      live = false;
      off?.();
    };
  }, [id, client]);
  return relations;
}

function Link({ id }: { id: string }) {
  const show = useView((s) => s.show);
  return (
    <button type="button" className="link-button" data-open-trajectory={id} onClick={() => show({ name: 'replay', id })}>
      <code>{id}</code>
    </button>
  );
}

/** Under the replay's title: where the run came from, what it is nested under, the run it re-ran and its re-runs, each a link. */
export function Relations({ relations }: { relations: TrajectoryRelations | null }) {
  if (!relations) return null;
  const { origin, parent, rerunOf, reruns } = relations;
  if (!origin && !parent && !rerunOf && reruns.length === 0) return null;
  return (
    <div className="relations" aria-label="Related runs">
      {origin && <OriginBadge origin={origin} />}
      {parent && (
        <span data-relation="parent">
          {KIND[parent.kind]} <Link id={parent.id} />
          {parent.step && <span className="muted"> (step {parent.step})</span>}
        </span>
      )}
      {rerunOf && (
        <span data-relation="rerun-of">
          Re-run of <Link id={rerunOf} />
        </span>
      )}
      {reruns.length > 0 && (
        <span data-relation="reruns">
          Re-run as{' '}
          {reruns.map((r, i) => (
            <span key={r}>
              {i > 0 && ', '}
              <Link id={r} />
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
