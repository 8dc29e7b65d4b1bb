import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Label, TrajectoryEvent } from '../../../shared/trajectory';
import type { Store, TrajectoryOrigin } from '../store';
import { RemoteError } from './remote-error';
import type { RemoteApi } from './remote-api';
import { exportFromRemote, isFinished } from './remote-trajectory';

type Json = Record<string, unknown>;

export interface SyncDeps {
  store: Store;
  api: RemoteApi;
  /** `<dataDir>/artifacts`: a pulled trajectory's files land in `<id>/` like a local run's. */
  artifactsRoot: string;
  /** Each event stored for a trajectory that already existed (a followed run), so live views show it. */
  onEvent?(trajectoryId: string, event: TrajectoryEvent): void;
}

/** Adds the remote's labels the local trajectory lacks (same key and value = the same label; different values are both kept). */
export function mergeLabels(store: Store, id: string, remote: readonly Label[]): number {
  const local = new Set(store.getTrajectory(id)?.labels.map((l) => `${l.key}\0${l.value}`) ?? []);
  let added = 0;
  for (const label of remote) {
    if (local.has(`${label.key}\0${label.value}`)) continue;
    store.addLabel(id, { key: label.key, value: label.value, author: label.author });
    added++;
  }
  return added;
}

/** A safe relative artifact path (no absolute paths, no `..`), or null. */
const safeRelative = (p: string): string | null => {
  const parts = p.split('/').filter((s) => s && s !== '.');
  return parts.length === 0 || parts.includes('..') || p.startsWith('/') || p.includes('\\') || p.includes('\0') ? null : parts.join('/');
};

/**
 * Downloads a pulled trajectory's artifacts through `/file/`: first `artifacts/<remote
 * id>/<path>` (a jetty serve remote), else the path as the trajectory names it.
 */
export async function downloadArtifacts(deps: SyncDeps, localId: string, remoteId: string, paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    const relative = safeRelative(p);
    if (!relative) continue;
    let bytes: Buffer;
    try {
      bytes = await deps.api.download(`artifacts/${remoteId}/${relative}`);
    } catch (error) {
      if (!(error instanceof RemoteError && error.kind === 'not_found')) throw error;
      bytes = await deps.api.download(relative).catch((e: unknown) => {
        if (e instanceof RemoteError && e.kind === 'not_found') return null as unknown as Buffer;
        throw e;
      });
      if (!bytes) continue;
    }
    const dest = path.join(deps.artifactsRoot, localId, ...relative.split('/'));
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, bytes);
  }
}

/**
 * Brings a trajectory pulled before up to date with the remote's copy: header, steps,
 * the events after the last one stored (told to `onEvent`), labels, new artifacts.
 * Returns how many events were added.
 */
export async function refreshPulled(deps: SyncDeps, origin: TrajectoryOrigin, remote: Json): Promise<number> {
  const { store } = deps;
  const id = origin.trajectory_id;
  const doc = exportFromRemote(remote, origin.collection, origin.task);
  store.updateTrajectory(id, {
    status: doc.status,
    error: doc.error ?? null,
    agent: doc.agent,
    model: doc.model,
    started_at: doc.started_at,
    ended_at: doc.ended_at,
    usage: doc.usage,
    evaluation: doc.evaluation,
  });
  for (const [name, step] of Object.entries(doc.steps)) store.updateStep(id, name, step);
  const fresh = doc.events.filter((e) => e.seq > origin.last_event_seq);
  if (fresh.length > 0) {
    const writer = store.eventWriter(id);
    const stored = fresh.map((e) => ({ ...e, seq: writer.append(e) }));
    writer.flush();
    for (const e of stored) deps.onEvent?.(id, e);
  }
  mergeLabels(store, id, doc.labels);
  const known = new Set(store.getTrajectory(id)?.artifacts.map((a) => a.path));
  const added = doc.artifacts.filter((a) => !known.has(a.path));
  for (const a of added) store.addArtifact(id, a);
  await downloadArtifacts(deps, id, origin.remote_id, added.map((a) => a.path));
  const finished = isFinished(doc.status);
  if (finished) store.eventWriter(id).close();
  store.origins().put({ ...origin, remote_status: doc.status, last_event_seq: fresh.at(-1)?.seq ?? origin.last_event_seq });
  return fresh.length;
}

/** Stores remote trajectories not pulled before, with their origins, in one transaction; then downloads their artifacts. Returns the local ids. */
export async function importNew(deps: SyncDeps, baseUrl: string, collection: string, task: string, remotes: Json[]): Promise<string[]> {
  const docs = remotes.map((r) => exportFromRemote(r, collection, task));
  const ids = deps.store.importPulled(
    docs.map((doc) => ({
      doc,
      origin: { base_url: baseUrl, collection, task, remote_id: doc.id, remote_status: doc.status, last_event_seq: doc.events.at(-1)?.seq ?? 0 },
    })),
  );
  for (const [i, doc] of docs.entries()) {
    if (doc.artifacts.length > 0) await downloadArtifacts(deps, ids[i], doc.id, doc.artifacts.map((a) => a.path));
  }
  return ids;
}
