import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import { RemotePlanError, type CloudService } from '../cloud/cloud-service';
import { MissingSecretsError } from '../cloud/deploy';
import { RemoteError } from '../cloud/remote-error';
import { SecretAuditError } from '../cloud/secret-audit';
import { trialLines, webLink } from '../cloud/web-links';
import type { OutboxItem } from '../store';
import type { RunbookPathCheck } from '../workspace/runbook-roots';
import { normalBaseUrl, type RemoteChangeGate } from '../cloud/remote-change';
import type { RunFileInputs } from './uploads';

/** Cloud failures as API errors the UI shows as they are (the remote's message, the audit's hits, the missing secrets). */
export async function cloudCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RemoteError) {
      const code = error.kind === 'unauthorized' || error.kind === 'signed_out' || error.kind === 'forbidden' ? 'unauthorized' : error.kind === 'not_found' ? 'not_found' : 'failed';
      throw new ApiError(code, error.message);
    }
    if (error instanceof SecretAuditError || error instanceof MissingSecretsError || error instanceof RemotePlanError) throw new ApiError('invalid_input', error.message);
    throw error;
  }
}

/** What the UI sees of an outbox item (the payload stays in the engine). */
export const outboxView = ({ payload: _payload, idempotency_key: _key, ...item }: OutboxItem) => item;

/** A started remote run without its completion promise (the UI follows `run.event`). */
const withoutDone = <T extends { status: string }>(submitted: T): T => {
  if (submitted.status !== 'delivered') return submitted;
  const { done: _done, ...result } = (submitted as unknown as { result: { done: unknown } }).result;
  return { ...submitted, result } as T;
};

/** What differs between the engine's doors (the desktop window, a WebSocket client). */
export interface CloudDoor {
  /** Input files of a deploy or remote run: upload ids, and host paths only where the door takes them (the desktop app). */
  files: RunFileInputs;
  /** How pointing the app at another remote is confirmed at this door. */
  remote: RemoteChangeGate;
}

/** The cloud's contract methods over the cloud service, for one door; runbooks are read only inside the open folders. */
export function cloudHandlers(cloud: CloudService, readable: RunbookPathCheck, door: CloudDoor) {
  /** The files a push sends: each resolved at this door (a browser's host paths are refused). */
  const inputFiles = async (files: string[] = [], uploads: string[] = []) => (await door.files.resolve(files, uploads)).paths;
  /** Browse answers with the seed's web UI link of each object. */
  const linked = <T extends Record<string, unknown>>(items: T[], link: (item: T) => string | null) => items.map((item) => ({ ...item, web_link: link(item) }));
  const base = () => cloud.status().baseUrl;
  return {
    'cloud.status': async () => cloud.status(),
    'cloud.proposeRemote': async ({ baseUrl }) => door.remote.propose(baseUrl),
    'cloud.signIn': async ({ token, baseUrl, confirmation }) => {
      if (baseUrl && normalBaseUrl(baseUrl) !== cloud.status().baseUrl) door.remote.confirm(baseUrl, confirmation);
      return cloudCall(() => cloud.signIn(token, baseUrl));
    },
    'cloud.signOut': async () => cloud.signOut(),
    'cloud.collections': () => cloudCall(async () => linked(await cloud.collections(), (c) => webLink(base(), String(c.name)))),
    'cloud.tasks': ({ collection }) => cloudCall(async () => linked(await cloud.tasks(collection), (t) => webLink(base(), collection, String(t.name)))),
    'cloud.trajectories': ({ collection, task, page, limit }) =>
      cloudCall(async () => {
        const answer = await cloud.trajectories(collection, task, page ?? 1, limit ?? 50);
        const local = cloud.localCopies(collection, task);
        const remoteId = (t: Record<string, unknown>) => String(t.trajectory_id ?? t.id);
        const rows = linked(answer.trajectories, (t) => webLink(base(), collection, task, remoteId(t)));
        return { ...answer, trajectories: rows.map((t) => ({ ...t, local_id: local.get(remoteId(t))?.trajectory_id ?? null })) };
      }),
    'cloud.stats': ({ collection, task }) => cloudCall(() => cloud.stats(collection, task)),
    'cloud.trial': ({ collection }) =>
      cloudCall(async () => {
        const trial = await cloud.trial(collection);
        return { ...trial, lines: trial.active ? trialLines(trial) : [] } as { active: boolean; lines: string[]; [k: string]: unknown };
      }),
    'cloud.audit': async ({ path, params, files, uploads }) => cloud.auditHits({ file: await readable(path), params, files: await inputFiles(files, uploads) }),
    'cloud.declaredSecrets': async ({ path }) => cloud.declaredSecrets(await readable(path)),
    'cloud.preflight': async ({ path, collection }) => cloudCall(async () => cloud.preflight(await readable(path), collection)),
    'cloud.deploy': async ({ path, files, uploads, ...input }) =>
      cloudCall(async () => cloud.deploy({ ...input, file: await readable(path), files: await inputFiles(files, uploads) })),
    'cloud.runPlan': async ({ path, files, uploads, ...input }) => cloudCall(async () => cloud.runPlan({ ...input, file: await readable(path), files: await door.files.names(files, uploads) })),
    'cloud.run': async ({ path, files, uploads, ...input }) =>
      cloudCall(async () => withoutDone(await cloud.run({ ...input, file: await readable(path), files: await inputFiles(files, uploads) }))),
    'cloud.pull': (input) => cloudCall(() => cloud.pull(input)),
    'cloud.origin': async ({ id }) => cloud.origin(id),
    'cloud.outbox': async () => cloud.outbox().map(outboxView),
    'cloud.outbox.retry': async ({ seq }) => ({ retried: await cloud.retry(seq) }),
    'cloud.outbox.drop': async ({ seq }) => ({ dropped: await cloud.drop(seq) }),
    'cloud.outbox.delivered': async () => cloud.delivered(),
    'cloud.outbox.flush': async () => {
      await cloud.flush();
      return cloud.outbox().map(outboxView);
    },
  } satisfies Partial<Api>;
}

