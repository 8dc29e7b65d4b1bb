import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pidAlive } from '../base/process-identity';
import type { Artifact, Label, TrajectoryEvent } from '../../../shared/trajectory';
import type { Store, TrajectoryOrigin } from '../store';
import { CLOUD_LIMITS, type CloudLimits } from './limits';
import { RemoteError } from './remote-error';
import type { RemoteApi } from './remote-api';
import { exportFromRemote, isFinished } from './remote-trajectory';

export interface SyncDeps {
  store: Store;
  api: RemoteApi;
  /** `<dataDir>/artifacts`: a pulled trajectory's files land in `<id>/` like a local run's. */
  artifactsRoot: string;
  /** Each event stored for a trajectory that already existed (a followed run), so live views show it. */
  onEvent?(trajectoryId: string, event: TrajectoryEvent): void;
  /** Bounds (CLOUD_LIMITS unless given). */
  limits?: Partial<CloudLimits>;
}

/** Adds the remote's labels the local trajectory lacks (same key and value = the same label; different values are both kept). */
export function mergeLabels(store: Store, id: string, remote: readonly Label[]): number {
  if (remote.length === 0) return 0;
  const local = new Set(store.getTrajectory(id)?.labels.map((l) => `${l.key}\0${l.value}`) ?? []);
  let added = 0;
  for (const label of remote) {
    if (local.has(`${label.key}\0${label.value}`)) continue;
    store.addLabel(id, { key: label.key, value: label.value, author: label.author });
    local.add(`${label.key}\0${label.value}`);
    added++;
  }
  return added;
}

/**
 * The artifact paths of a trajectory as safe relative paths, refused (naming them) when one
 * is absolute, climbs out with `..`, or collides with another: the same path twice, two that
 * differ only in letter case (one file on macOS and Windows), or a file that another path
 * needs as a folder. `known` are the paths already stored for it.
 */
export function checkArtifactPaths(paths: readonly string[], known: readonly string[] = []): string[] {
  const refuse = (why: string) => new RemoteError('rejected', `the trajectory's artifact paths ${why}, so it is not stored; fix the trajectory on the remote, then pull again`);
  const relative = paths.map((p) => {
    const parts = p.split('/').filter((s) => s && s !== '.');
    if (parts.length === 0 || parts.includes('..') || p.startsWith('/') || p.includes('\\') || p.includes('\0') || /^[A-Za-z]:/.test(p)) throw refuse(`include an unsafe one (${JSON.stringify(p.slice(0, 200))})`);
    return parts.join('/');
  });
  const files = new Map<string, string>();
  for (const p of [...known, ...relative]) {
    const key = p.toLowerCase();
    const other = files.get(key);
    if (other !== undefined) throw refuse(`collide ('${other}' and '${p}')`);
    files.set(key, p);
  }
  for (const [key, p] of files) {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = files.get(parts.slice(0, i).join('/'));
      if (folder !== undefined) throw refuse(`collide ('${folder}' is a file and also the folder of '${p}')`);
    }
  }
  return relative;
}

/** Where a trajectory's files are downloaded before they are moved into place: `<dataDir>/pull-staging/<pid>-<random>/`. */
const stagingRoot = (artifactsRoot: string) => path.join(path.dirname(artifactsRoot), 'pull-staging');

async function stagingFolder(artifactsRoot: string): Promise<string> {
  const dir = path.join(stagingRoot(artifactsRoot), `${process.pid}-${randomBytes(8).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Removes the staging folders of pulls whose process is gone (killed mid-download); a live pull's are left alone. */
export async function sweepStaging(artifactsRoot: string): Promise<void> {
  const root = stagingRoot(artifactsRoot);
  for (const name of await readdir(root).catch(() => [])) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !pidAlive(pid)) await rm(path.join(root, name), { recursive: true, force: true });
  }
}

/**
 * Downloads `artifacts` into `staging` through `/file/` (first `artifacts/<remote id>/<path>`,
 * the place a jetty serve remote serves them, else the path as the trajectory names it),
 * each checked against its declared size and sha256.
 */
async function downloadArtifacts(deps: SyncDeps, staging: string, remoteId: string, artifacts: readonly Artifact[], signal?: AbortSignal): Promise<void> {
  const maxBytes = deps.limits?.artifactBytes ?? CLOUD_LIMITS.artifactBytes;
  for (const artifact of artifacts) {
    const dest = path.join(staging, ...artifact.path.split('/'));
    await mkdir(path.dirname(dest), { recursive: true });
    const expected = { size: artifact.size, sha256: artifact.sha256, maxBytes, signal };
    try {
      await deps.api.downloadTo(`artifacts/${remoteId}/${artifact.path}`, dest, expected);
    } catch (error) {
      if (!(error instanceof RemoteError && error.kind === 'not_found')) throw error;
      await deps.api.downloadTo(artifact.path, dest, expected).catch((e: unknown) => {
        if (e instanceof RemoteError && e.kind === 'not_found') throw new RemoteError('rejected', `the remote serves no file for the trajectory's artifact '${artifact.path}', so the trajectory is not stored; pull again once the remote has it`);
        throw e;
      });
    }
  }
}

/** Moves downloaded files from `staging` into `<artifactsRoot>/<id>/` (a rename each: same file system). */
async function moveIntoPlace(staging: string, artifactsRoot: string, id: string, artifacts: readonly Artifact[]): Promise<void> {
  for (const artifact of artifacts) {
    const dest = path.join(artifactsRoot, id, ...artifact.path.split('/'));
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(path.join(staging, ...artifact.path.split('/')), dest);
  }
}

/** A new trajectory stored with its origin (what `store.importPulled` takes). */
type PulledItem = Parameters<Store['importPulled']>[0][number];

/**
 * Stores new trajectories that came whole in one page, without files, many to a
 * transaction (a commit costs more than storing a short trajectory): each is still stored
 * whole or not at all. `add` answers the local id once its batch is in; a batch is stored
 * when it has `max` items or on `flush`. A batch the store refuses is stored one by one, so
 * only the bad trajectory fails.
 */
export function importBatcher(store: Store, max = 100) {
  let items: { item: PulledItem; resolve(id: string): void; reject(error: unknown): void }[] = [];
  const flush = (): void => {
    const batch = items;
    items = [];
    if (batch.length === 0) return;
    try {
      const ids = store.importPulled(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(ids[i]));
    } catch {
      for (const b of batch) {
        try {
          b.resolve(store.importPulled([b.item])[0]);
        } catch (error) {
          b.reject(error);
        }
      }
    }
  };
  return {
    add(item: PulledItem): Promise<string> {
      const stored = new Promise<string>((resolve, reject) => items.push({ item, resolve, reject }));
      if (items.length >= max) flush();
      return stored;
    },
    flush,
  };
}
export type ImportBatcher = ReturnType<typeof importBatcher>;

export interface SyncOptions {
  /** Stops the requests (a pull's overall deadline). */
  signal?: AbortSignal;
  /** Where a new trajectory that came whole, without files, is stored (with others); else on its own. */
  batch?: ImportBatcher;
  /** Its origin as the caller already read it (null: not pulled before); read from the store when not given. */
  origin?: TrajectoryOrigin | null;
}

export interface SyncResult {
  /** The local id: now, or once the batch holding it is stored (`stored`). */
  stored: Promise<string>;
  added: boolean;
  events: number;
}

/**
 * Brings one remote trajectory into the local store, or a copy pulled before up to date,
 * page by page (`eventsPerPage` events a request): each page is stored in its own short
 * transaction with its origin, whose last event says how far the copy goes, so a pull
 * stopped anywhere (a crash, the deadline) resumes there and stores nothing twice.
 *
 * A trajectory is complete, and its origin takes the remote's status, only in the
 * transaction that also records its artifacts, after their files were downloaded,
 * checked against their declared size and sha256, and moved into place. A new trajectory
 * whose events fit in one page is stored in that one transaction (all or nothing); a
 * longer one shows status `failed` with an error saying it is still being pulled until
 * its last page is in. Returns the local id and whether it is new.
 */
export async function syncTrajectory(
  deps: SyncDeps,
  ref: { collection: string; task: string; remoteId: string },
  options: SyncOptions = {},
): Promise<SyncResult> {
  const { store, api } = deps;
  const { collection, task, remoteId } = ref;
  const perPage = deps.limits?.eventsPerPage ?? CLOUD_LIMITS.eventsPerPage;
  const maxEvents = deps.limits?.maxEventsPerTrajectory ?? CLOUD_LIMITS.maxEventsPerTrajectory;
  const base = { base_url: api.baseUrl, collection, task, remote_id: remoteId };
  const origin: TrajectoryOrigin | null = options.origin !== undefined ? options.origin : store.origins().ofRemote(base);
  let localId = origin?.trajectory_id ?? null;
  let after = origin?.last_event_seq ?? 0;
  let stored = 0;
  for (;;) {
    const page = await api.trajectoryPage(collection, task, remoteId, { after, limit: perPage, signal: options.signal });
    const doc = exportFromRemote({ ...page.trajectory, events: page.events }, collection, task);
    if (doc.id !== remoteId) throw new RemoteError('rejected', `asked for trajectory ${remoteId}, the remote answered with ${JSON.stringify(doc.id.slice(0, 64))}; it is not stored`);
    const events = doc.events.filter((e) => e.seq > after);
    if (page.hasMore && events.length === 0) throw new RemoteError('rejected', `trajectory ${remoteId}: the remote says more events follow seq ${after} but sends none after it; it is not stored in full (pull again later)`);
    if (stored + events.length > maxEvents) throw new RemoteError('rejected', `trajectory ${remoteId} has more than ${maxEvents} events, the most a pull takes; it is not stored in full`);
    const last = !page.hasMore;
    const seq = events.at(-1)?.seq ?? after;

    if (!last) {
      // A page of a longer trajectory: its events (and, the first time, the header marked as still being pulled).
      const progress = { ...base, remote_status: 'importing', last_event_seq: seq };
      if (localId === null) {
        const pending = { ...doc, status: 'failed' as const, error: 'still being pulled: run the pull again if this stays', artifacts: [], events };
        localId = store.importPulled([{ doc: pending, origin: progress }])[0];
      } else {
        store.continueImport(localId, { events }, progress);
        for (const e of events) deps.onEvent?.(localId, e);
      }
      stored += events.length;
      after = seq;
      continue;
    }

    // The last page: files first, then one transaction that makes the copy complete.
    const known = localId === null ? [] : (store.getTrajectory(localId)?.artifacts ?? []);
    const knownPaths = new Set(known.map((a) => a.path));
    const paths = checkArtifactPaths(
      doc.artifacts.filter((a) => !knownPaths.has(a.path)).map((a) => a.path),
      [...knownPaths],
    );
    const fresh = doc.artifacts.filter((a) => !knownPaths.has(a.path)).map((a, i) => ({ ...a, path: paths[i] }));
    const final = { ...base, remote_status: doc.status, last_event_seq: seq };
    if (localId === null && fresh.length === 0 && options.batch) {
      return { stored: options.batch.add({ doc: { ...doc, events }, origin: final }), added: true, events: stored + events.length };
    }
    const staging = fresh.length > 0 ? await stagingFolder(deps.artifactsRoot) : null;
    try {
      if (staging) await downloadArtifacts(deps, staging, remoteId, fresh, options.signal);
      if (localId === null) {
        const id = store.trajectoryIdFor(doc.id);
        if (staging) await moveIntoPlace(staging, deps.artifactsRoot, id, fresh);
        localId = store.importPulled([{ doc: { ...doc, id, artifacts: fresh, events }, origin: final }])[0];
        return { stored: Promise.resolve(localId), added: true, events: stored + events.length };
      }
      if (staging) await moveIntoPlace(staging, deps.artifactsRoot, localId, fresh);
      const header = { status: doc.status, error: doc.error ?? null, agent: doc.agent, model: doc.model, started_at: doc.started_at, ended_at: doc.ended_at, usage: doc.usage, evaluation: doc.evaluation };
      store.continueImport(localId, { events, header, steps: doc.steps, artifacts: fresh }, final);
      for (const e of events) deps.onEvent?.(localId, e);
      mergeLabels(store, localId, doc.labels);
      return { stored: Promise.resolve(localId), added: origin === null, events: stored + events.length };
    } finally {
      if (staging) await rm(staging, { recursive: true, force: true });
    }
  }
}

/** Whether a pulled trajectory needs fetching again: it was not finished, or not completely pulled, when last seen. */
export const needsSync = (origin: TrajectoryOrigin | undefined): boolean => !origin || !isFinished(origin.remote_status);
