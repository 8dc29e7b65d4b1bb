import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FormData, type HttpClient } from './http-client';
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

/** The endpoints of `../shared/docs/jetty-api.md` this app uses; answers read tolerantly. */
export function remoteApi(http: HttpClient) {
  const api = (method: Parameters<HttpClient['json']>[0], p: string, opts?: Parameters<HttpClient['json']>[2]) => http.json(method, `/api/v1${p}`, opts);
  return {
    baseUrl: http.baseUrl,
    health: async () => asObject(await api('GET', '/health')),
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
    trajectories: async (c: string, t: string, page = 1, limit = 100): Promise<RemotePage> => {
      const o = asObject(await api('GET', `/db/trajectories/${seg(c)}/${seg(t)}?limit=${limit}&page=${page}`));
      const trajectories = asArray(o.trajectories).map(asObject);
      return {
        trajectories,
        total: typeof o.total === 'number' ? o.total : trajectories.length,
        page: typeof o.page === 'number' ? o.page : page,
        limit: typeof o.limit === 'number' ? o.limit : limit,
        has_more: o.has_more === true,
      };
    },
    trajectory: async (c: string, t: string, id: string) => asObject(await api('GET', `/db/trajectory/${seg(c)}/${seg(t)}/${seg(id)}`)),
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
      form.append('file', new Blob([await readFile(file)]), path.basename(file));
      const o = asObject(await api('POST', '/files/upload', { form }));
      const remotePath = o.path ?? o.file_path;
      if (typeof remotePath !== 'string') throw new RemoteError('server', 'POST /files/upload: the answer names no path');
      return remotePath;
    },
    /** Downloads a file by the path a trajectory names (`GET /file/{path}`). */
    download: async (remotePath: string) => {
      const res = await http.call('GET', `/api/v1/file/${remotePath.split('/').map(seg).join('/')}`);
      return Buffer.from(await res.body.arrayBuffer());
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
      for (const file of form.files ?? []) body.append('files', new Blob([await readFile(file)]), path.basename(file));
      const res = await http.call('POST', `/api/v1/run/${seg(c)}/${seg(t)}`, { form: body, idempotencyKey });
      const json = asObject(JSON.parse((await res.body.text()) || '{}'));
      return { body: json, trajectoryId: trajectoryIdOf(json, res.headers) };
    },
    /** Runbook mode of `/v1/chat/completions`, streaming: the response to read as server-sent events. */
    chatRunbook: (request: Json, idempotencyKey?: string) =>
      http.call('POST', '/v1/chat/completions', { json: request, idempotencyKey, stream: true, headers: { accept: 'text/event-stream' } }),
  };
}
export type RemoteApi = ReturnType<typeof remoteApi>;
