import { setTimeout as sleep } from 'node:timers/promises';
import type { Trajectory } from '../../../shared/trajectory';
import { syncTrajectory, type SyncDeps } from './pulled-sync';
import { RemoteError } from './remote-error';
import { trajectoryIdOf, type RemoteApi, type TrialStatus } from './remote-api';
import { isFinished } from './remote-trajectory';
import { sseJson } from './sse';
import { PROVIDER_KEYS } from './web-links';

export interface RemoteRunRequest {
  kind: 'runbook' | 'workflow';
  collection: string;
  task: string;
  /** The runbook's text (runbook mode: sent as the system message). */
  text: string;
  params: Record<string, string>;
  /** Remote paths returned by the upload endpoint. */
  filePaths: string[];
  agent: string;
  model?: string;
  /** The sandbox image chosen here (a remote that takes it: `jetty.image`); null: the runbook's own. */
  image?: string | null;
  /** Send the parameters as they are too (`jetty.parameters`), for a remote that reads them. */
  sendParameters?: boolean;
  /** The runbook's folder as uploaded (`jetty.folder`): the run's working directory on the remote holds it. */
  folderPath?: string | null;
  idempotencyKey: string;
}

/** The seed's trial rule: trial keys when the trial is active and the collection has no provider keys. */
export async function shouldUseTrialKeys(api: RemoteApi, collection: string): Promise<{ use: boolean; trial: TrialStatus }> {
  const trial = await api.trial(collection);
  if (!trial.active) return { use: false, trial };
  const collectionInfo = await api.collectionOrNull(collection);
  const keys = Object.keys((collectionInfo?.environment_variables as Record<string, unknown> | undefined) ?? {});
  return { use: !PROVIDER_KEYS.some((k) => keys.includes(k)), trial };
}

/** "Execute the runbook with parameters: a=1, b=2" (the seed's user message). */
export const userMessage = (params: Record<string, string>): string => {
  const pairs = Object.entries(params).map(([k, v]) => `${k}=${/[\s,"']/.test(v) ? JSON.stringify(v) : v}`);
  return pairs.length > 0 ? `Execute the runbook with parameters: ${pairs.join(', ')}` : 'Execute the runbook';
};

export interface StartedRemoteRun {
  remoteId: string;
  trial: Record<string, unknown> | null;
  /** The run's live chunks (runbook mode), read by `followRemoteRun`. */
  chunks: AsyncGenerator<Record<string, unknown>> | null;
  /** Closes the live stream (once the run is followed to its end). */
  stop(): void;
}

/**
 * Launches a run on the remote: runbook mode through `/v1/chat/completions` with the
 * `jetty` block (`stream: true`) naming the plan's agent, model and (where the remote takes
 * them) image, parameters and folder; a workflow task through `/run`. The idempotency key
 * goes with it, so a retry of the same launch is not a second run.
 */
export async function launchRemoteRun(api: RemoteApi, request: RemoteRunRequest, useTrialKeys: boolean): Promise<StartedRemoteRun> {
  if (request.kind === 'workflow') {
    const { body, trajectoryId } = await api.run(request.collection, request.task, { initParams: request.params, useTrialKeys }, request.idempotencyKey);
    if (!trajectoryId) throw new RemoteError('server', 'the run answer names no trajectory');
    return { remoteId: trajectoryId, trial: (body.trial as Record<string, unknown>) ?? null, chunks: null, stop: () => undefined };
  }
  const stream = new AbortController();
  const stop = () => stream.abort();
  const res = await api.chatRunbook(
    {
      model: request.model ?? 'jetty-runbook',
      messages: [
        { role: 'system', content: request.text },
        { role: 'user', content: userMessage(request.params) },
      ],
      stream: true,
      jetty: {
        runbook: true,
        collection: request.collection,
        task: request.task,
        agent: request.agent,
        ...(request.filePaths.length > 0 ? { file_paths: request.filePaths } : {}),
        ...(request.sendParameters ? { parameters: request.params } : {}),
        ...(request.image ? { image: request.image } : {}),
        ...(request.folderPath ? { folder: request.folderPath } : {}),
        ...(useTrialKeys ? { use_trial_keys: true } : {}),
      },
    },
    request.idempotencyKey,
    stream.signal,
  );
  const contentType = String(res.headers['content-type'] ?? '');
  if (!contentType.includes('event-stream')) {
    // A remote that answered in one piece (or a replayed launch): the id is in the body or header.
    const body = await api.runAnswer(res);
    const id = trajectoryIdOf(body, res.headers);
    if (!id) throw new RemoteError('server', 'the run answer names no trajectory');
    return { remoteId: id, trial: (body.trial as Record<string, unknown>) ?? null, chunks: null, stop };
  }
  const chunks = sseJson(res.body);
  let trial: Record<string, unknown> | null = null;
  let id = trajectoryIdOf({}, res.headers);
  try {
    while (!id) {
      const first = await chunks.next();
      if (first.done) throw new RemoteError('server', 'the run stream ended before naming its trajectory');
      id = trajectoryIdOf(first.value);
      trial = (first.value.trial as Record<string, unknown>) ?? trial;
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { remoteId: id, trial, chunks, stop };
}

export interface FollowOptions {
  /** Polls of the remote trajectory at most this often. Default 250 ms. */
  intervalMs?: number;
  /** Gives up following after this long (the run goes on remotely; pull it later). Default 2 h. */
  timeoutMs?: number;
  /** Stops following (the engine closes). */
  signal?: AbortSignal;
  /** Told when the live stream breaks or sends something unreadable (polling goes on). Default: a warning on stderr. */
  onStreamProblem?(message: string): void;
}

/**
 * Mirrors a remote run into the local store as it goes: a local trajectory marked with
 * its origin, whose events arrive (through `onEvent`, like a local run's) each time the
 * stream says something happened, and at least every `intervalMs`. Resolves with the
 * local trajectory once the remote one has finished.
 */
export async function followRemoteRun(
  deps: SyncDeps,
  run: { collection: string; task: string; remoteId: string; chunks: AsyncGenerator<unknown> | null; stop?(): void },
  options: FollowOptions = {},
): Promise<{ localId: string; done: Promise<Trajectory> }> {
  const { store, api } = deps;
  const ref = { base_url: api.baseUrl, collection: run.collection, task: run.task, remote_id: run.remoteId };
  const sync = () => syncTrajectory(deps, { collection: run.collection, task: run.task, remoteId: run.remoteId }, { signal: options.signal });
  const localId = await (await sync()).stored;
  const interval = options.intervalMs ?? 250;
  const deadline = Date.now() + (options.timeoutMs ?? 2 * 3600_000);
  const problem = options.onStreamProblem ?? ((message: string) => console.warn(`Following remote run ${run.remoteId}: ${message}`));

  const signal = { wake: () => undefined as void };
  let following = true;
  const drain = (async () => {
    if (!run.chunks) return;
    try {
      for await (const _ of run.chunks) signal.wake();
    } catch (error) {
      // The stream broke or sent something unreadable: said so, and polling goes on.
      if (following) problem(`the live stream stopped (${(error as Error).message}); following by polling`);
    }
  })();

  const done = (async (): Promise<Trajectory> => {
    try {
      for (;;) {
        const origin = store.origins().ofRemote(ref)!;
        if (isFinished(origin.remote_status)) break;
        if (options.signal?.aborted) throw new RemoteError('offline', `stopped following ${run.remoteId}: the engine is closing; pull it later`);
        if (Date.now() > deadline) throw new RemoteError('offline', `stopped following ${run.remoteId} after the follow timeout; pull it later`);
        await Promise.race([sleep(interval, undefined, { signal: options.signal }).catch(() => undefined), new Promise<void>((resolve) => (signal.wake = resolve))]);
        if (options.signal?.aborted) continue;
        await sync();
      }
    } finally {
      following = false;
      run.stop?.();
      await drain;
    }
    return store.getTrajectory(localId)!;
  })();
  return { localId, done };
}
