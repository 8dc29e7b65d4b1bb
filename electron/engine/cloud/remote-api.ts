import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FOLDER_ARCHIVE_TYPE } from '../uploads/folder-archive';
import { capabilitiesOf, type RemoteCapabilities } from './capabilities';
import { FormData, parseRemoteJson, type HttpClient } from './http-client';
import { CLOUD_LIMITS } from './limits';
import { RemoteError } from './remote-error';

type Json = Record<string, unknown>;

const seg = encodeURIComponent;
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const named = (v: unknown): { name: string; description: string } & Json => {
  const o = asObject(v);
  return { ...o, name: String(o.name ?? ''), description: typeof o.description === 'string' ? o.description : '' };
};

/** A page of remote trajectories, in the cloud's shape (extra fields kept, missing ones defaulted). */
export interface RemotePage {
  trajectories: Json[];
  total: number;
  page: number;
  limit: number;
  has_more: boolean;
}

/** One page of a trajectory: the trajectory (header, steps, labels, artifacts) with the events after `after`. */
export interface TrajectoryPage {
  trajectory: Json;
  events: unknown[];
  /** The remote says events after this page exist (a remote that does not page sends them all, and never says so). */
  hasMore: boolean;
}

/** What a downloaded file must be: its declared size and sha256 (hex; checked when it is one), and the most bytes read. */
export interface ExpectedFile {
  size: number;
  sha256: string;
  maxBytes: number;
  signal?: AbortSignal;
}

/** The trial of a collection, when it has one (`GET /trial/{c}`; *inferred* fields). */
export interface TrialStatus {
  active: boolean;
  runs_used?: number;
  runs_limit?: number;
  runs_remaining?: number;
  minutes_remaining?: number;
}

/** The trajectory id of a run answer: a top-level field or the `X-Jetty-Trajectory-Id` header (*inferred*: accept either). */
export function trajectoryIdOf(body: unknown, headers: Record<string, string | string[] | undefined> = {}): string | null {
  const o = asObject(body);
  const header = headers['x-jetty-trajectory-id'];
  const candidate = o.trajectory_id ?? o.workflow_id ?? (Array.isArray(header) ? header[0] : header);
  return typeof candidate === 'string' && candidate ? candidate : null;
}

/**
 * An input file's bytes for an upload. A push waiting in the outbox sends the copy taken when
 * it was made, which is gone if it waited past the uploads' expiry: said so by name only.
 */
async function inputBytes(file: string): Promise<Blob> {
  try {
    return new Blob([await readFile(file)]);
  } catch {
    throw new Error(`the input file ${path.basename(file)} is no longer there (a file not sent within a day of choosing it is removed): choose it again and push again`);
  }
}

/** A small JSON answer (a run's ids): empty is `{}`, anything but JSON a clear error. */
const parseAnswer = (method: string, p: string, bytes: Buffer): unknown => (bytes.length === 0 ? {} : parseRemoteJson(`${method} ${p}`, bytes));

/** The endpoints of `../shared/docs/jetty-api.md` this app uses; answers read tolerantly. */
export function remoteApi(http: HttpClient) {
  const api = (method: Parameters<HttpClient['json']>[0], p: string, opts?: Parameters<HttpClient['json']>[2]) => http.json(method, `/api/v1${p}`, opts);
  return {
    baseUrl: http.baseUrl,
    health: async () => asObject(await api('GET', '/health')),
    /** What the remote can honour (its health's `capabilities`; a remote without them, or without `/health`: Jetty cloud's documented API). */
    capabilities: async (): Promise<RemoteCapabilities> => {
      try {
        return capabilitiesOf(asObject(await api('GET', '/health')));
      } catch (error) {
        if (error instanceof RemoteError && error.kind === 'not_found') return capabilitiesOf({});
        throw error;
      }
    },
    /** Replaces a runbook task's folder on the remote with the tar at `archive` (`PUT /tasks/{c}/{t}/folder`). */
    putTaskFolder: async (c: string, t: string, archive: string) =>
      asObject(await api('PUT', `/tasks/${seg(c)}/${seg(t)}/folder`, { raw: { bytes: await readFile(archive), contentType: FOLDER_ARCHIVE_TYPE } })),
    collections: async () => asArray(await api('GET', '/collections/')).map(named),
    collection: async (c: string) => {
      const o = asObject(await api('GET', `/collections/${seg(c)}`));
      return { ...named(o), environment_variables: asObject(o.environment_variables) };
    },
    /** null when the collection does not exist. */
    collectionOrNull: async (c: string) => {
      try {
        return asObject(await api('GET', `/collections/${seg(c)}`));
      } catch (error) {
        if (error instanceof RemoteError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    createCollection: async (c: string, description = '') => asObject(await api('POST', '/collections/', { json: { name: c, description } })),
    /** The keys of a collection's environment (values are never read back): an object of keys, or an array. */
    environmentKeys: async (c: string): Promise<string[]> => {
      const body = await api('GET', `/collections/${seg(c)}/environment`);
      const inner = asObject(body).environment_variables ?? body;
      return Array.isArray(inner) ? inner.map(String) : Object.keys(asObject(inner));
    },
    /** Merge semantics: a string sets a key, null deletes it. The body carries values: it is never logged. */
    patchEnvironment: async (c: string, values: Record<string, string | null>) =>
      api('PATCH', `/collections/${seg(c)}/environment`, { json: { environment_variables: values } }),
    tasks: async (c: string) => asArray(await api('GET', `/tasks/${seg(c)}/`)).map(named),
    /** null when the task does not exist. */
    taskOrNull: async (c: string, t: string) => {
      try {
        return asObject(await api('GET', `/tasks/${seg(c)}/${seg(t)}`));
      } catch (error) {
        if (error instanceof RemoteError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    createTask: async (c: string, task: { name: string; description: string; workflow: Json }, idempotencyKey?: string) =>
      asObject(await api('POST', `/tasks/${seg(c)}`, { json: task, idempotencyKey })),
    updateTask: async (c: string, t: string, patch: { description?: string; workflow?: Json }) =>
      asObject(await api('PUT', `/tasks/${seg(c)}/${seg(t)}`, { json: patch })),
    trajectories: async (c: string, t: string, page = 1, limit = 100, signal?: AbortSignal): Promise<RemotePage> => {
      const o = asObject(await api('GET', `/db/trajectories/${seg(c)}/${seg(t)}?limit=${limit}&page=${page}`, { signal }));
      const trajectories = asArray(o.trajectories).map(asObject);
      return {
        trajectories,
        total: typeof o.total === 'number' ? o.total : trajectories.length,
        page: typeof o.page === 'number' ? o.page : page,
        limit: typeof o.limit === 'number' ? o.limit : limit,
        has_more: o.has_more === true,
      };
    },
    trajectory: async (c: string, t: string, id: string, signal?: AbortSignal) => asObject(await api('GET', `/db/trajectory/${seg(c)}/${seg(t)}/${seg(id)}`, { signal })),
    /** One page of a trajectory's events (`events_after`, `events_limit`; `events_has_more` in the answer). */
    trajectoryPage: async (c: string, t: string, id: string, page: { after: number; limit: number; signal?: AbortSignal }): Promise<TrajectoryPage> => {
      const o = asObject(
        await api('GET', `/db/trajectory/${seg(c)}/${seg(t)}/${seg(id)}?events_after=${page.after}&events_limit=${page.limit}`, { signal: page.signal }),
      );
      return { trajectory: o, events: asArray(o.events), hasMore: o.events_has_more === true };
    },
    stats: async (c: string, t: string) => asObject(await api('GET', `/db/stats/${seg(c)}/${seg(t)}`)),
    addLabel: async (c: string, t: string, id: string, label: { key: string; value: string; author: string }, idempotencyKey?: string) =>
      asObject(await api('POST', `/trajectory/${seg(c)}/${seg(t)}/${seg(id)}/labels`, { json: label, idempotencyKey })),
    trial: async (c: string): Promise<TrialStatus> => {
      try {
        const o = asObject(await api('GET', `/trial/${seg(c)}`));
        return { ...o, active: o.active === true };
      } catch (error) {
        // A remote without trials (an older jetty serve): no trial.
        if (error instanceof RemoteError && error.kind === 'not_found') return { active: false };
        throw error;
      }
    },
    /** Uploads one file for `file_paths`; returns the remote path. */
    upload: async (c: string, file: string): Promise<string> => {
      const form = new FormData();
      form.append('collection', c);
      form.append('file', await inputBytes(file), path.basename(file));
      const o = asObject(await api('POST', '/files/upload', { form }));
      const remotePath = o.path ?? o.file_path;
      if (typeof remotePath !== 'string') throw new RemoteError('server', 'POST /files/upload: the answer names no path');
      return remotePath;
    },
    /**
     * Downloads a file by the path a trajectory names (`GET /file/{path}`) into `dest`,
     * streamed: refused before reading when its declared length is not the expected size,
     * cut off at the expected size, and checked against the expected sha256. A refused
     * file leaves a partial `dest` for the caller to remove.
     */
    downloadTo: async (remotePath: string, dest: string, expected: ExpectedFile): Promise<void> => {
      const where = `GET /file/${remotePath}`;
      if (expected.size > expected.maxBytes) throw new RemoteError('rejected', `${where}: the trajectory declares ${expected.size} bytes, more than the ${expected.maxBytes} a pulled file may have`);
      const res = await http.call('GET', `/api/v1/file/${remotePath.split('/').map(seg).join('/')}`, { signal: expected.signal });
      const mismatch = (what: string) => new RemoteError('rejected', `${where}: ${what}; the remote's file does not match its trajectory, so the trajectory is not stored (pull again once the remote is fixed)`);
      const declared = Number(res.headers['content-length']);
      if (res.headers['content-length'] !== undefined && declared !== expected.size) {
        res.body.destroy();
        throw mismatch(`the remote sends ${declared} bytes where the trajectory declares ${expected.size}`);
      }
      const hash = createHash('sha256');
      let size = 0;
      try {
        await pipeline(
          res.body,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              size += chunk.length;
              if (size > expected.size) throw mismatch(`the remote sends more than the ${expected.size} bytes the trajectory declares`);
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(dest, { flags: 'w' }),
        );
      } catch (error) {
        if (error instanceof RemoteError) throw error;
        if (expected.signal?.aborted) throw new RemoteError('offline', `${where}: stopped (${(expected.signal.reason as Error)?.message ?? 'cancelled'})`);
        throw new RemoteError('offline', `${where}: the download broke off (${(error as { code?: string }).code ?? 'connection lost'}); pull again`);
      }
      if (size !== expected.size) throw mismatch(`the remote sent ${size} bytes where the trajectory declares ${expected.size}`);
      const digest = hash.digest('hex');
      if (/^[0-9a-f]{64}$/i.test(expected.sha256) && digest !== expected.sha256.toLowerCase()) throw mismatch('its sha256 differs from the one the trajectory declares');
    },
    /** Starts a workflow or runbook task (`POST /run/{c}/{t}`, multipart). */
    run: async (
      c: string,
      t: string,
      form: { initParams: Json; useTrialKeys: boolean; files?: string[] },
      idempotencyKey?: string,
    ) => {
      const body = new FormData();
      body.append('init_params', JSON.stringify(form.initParams));
      if (form.useTrialKeys) body.append('use_trial_keys', 'true');
      for (const file of form.files ?? []) body.append('files', await inputBytes(file), path.basename(file));
      const runPath = `/api/v1/run/${seg(c)}/${seg(t)}`;
      const res = await http.call('POST', runPath, { form: body, idempotencyKey });
      const json = asObject(parseAnswer('POST', runPath, await http.readAnswer('POST', runPath, res, CLOUD_LIMITS.answerBytes)));
      return { body: json, trajectoryId: trajectoryIdOf(json, res.headers) };
    },
    /** Runbook mode of `/v1/chat/completions`, streaming: the response to read as server-sent events. */
    chatRunbook: (request: Json, idempotencyKey?: string, signal?: AbortSignal) =>
      http.call('POST', '/v1/chat/completions', { json: request, idempotencyKey, stream: true, signal, headers: { accept: 'text/event-stream' } }),
    /** A run answer that came in one piece (not a stream), read bounded. */
    runAnswer: async (res: Awaited<ReturnType<HttpClient['call']>>) =>
      asObject(parseAnswer('POST', '/v1/chat/completions', await http.readAnswer('POST', '/v1/chat/completions', res, CLOUD_LIMITS.answerBytes))),
  };
}
export type RemoteApi = ReturnType<typeof remoteApi>;
