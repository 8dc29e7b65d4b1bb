import type { Label } from '../../../shared/trajectory';
import type { OutboxItem, RemoteRef } from '../store';
import { deploy, type DeployResult, type DeploySource } from './deploy';
import type { FolderSnapshot } from './outbox-files';
import type { RemoteApi } from './remote-api';
import { RemoteError } from './remote-error';
import { deliveryRefusal } from './remote-plan';
import { followRemoteRun, launchRemoteRun, shouldUseTrialKeys, type FollowOptions, type RemoteRunRequest } from './remote-run';
import type { SyncDeps } from './pulled-sync';
import { trialLines, webLink } from './web-links';

/** What an outbox item carries (no secret values: secrets are named, read at delivery). */
export interface DeployPayload {
  source: DeploySource;
  collection: string;
  task: string;
  files: string[];
  /** The runbook's folder as it was when the deploy was made (null: a workflow). */
  folder: FolderSnapshot | null;
  setSecrets: string[];
}
export interface RunPayload {
  /** The run as its plan decided it here: agent, model, image, parameters. */
  request: Omit<RemoteRunRequest, 'idempotencyKey' | 'filePaths' | 'folderPath' | 'sendParameters'>;
  /** Local input files, uploaded at delivery. */
  files: string[];
  /** The runbook's folder as it was when the run was asked for (null: a workflow). */
  folder: FolderSnapshot | null;
}
export interface LabelPayload {
  ref: RemoteRef;
  label: Pick<Label, 'key' | 'value' | 'author'>;
}

export interface RemoteRunStarted {
  localId: string;
  remoteId: string;
  trial: string[];
  link: string | null;
  done: Promise<unknown>;
}

export interface DeliveryDeps extends SyncDeps {
  api: RemoteApi;
  /** A secret's value from the local vault (missing secrets set at deploy). */
  secret(name: string): string | undefined;
  follow?: FollowOptions;
}

/** Refused for good at delivery: the remote, as it is now, cannot run what was asked (the outbox shows why). */
export class DeliveryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryRefusedError';
  }
}

/** Makes sure the collection is there before files are uploaded into it (a run may be the first thing sent to it). */
async function ensureCollection(api: RemoteApi, collection: string): Promise<void> {
  if (await api.collectionOrNull(collection)) return;
  await api.createCollection(collection).catch((error: unknown) => {
    if (!(error instanceof RemoteError && error.status === 409)) throw error;
  });
}

/** Delivers a remote run: checked against what the remote offers now, its folder and files uploaded, launched and followed. */
async function deliverRun(deps: DeliveryDeps, item: OutboxItem): Promise<RemoteRunStarted> {
  const { api } = deps;
  const p = item.payload as unknown as RunPayload;
  const { collection, task } = p.request;
  const capabilities = p.request.kind === 'runbook' ? await api.capabilities() : null;
  const refusal = capabilities && deliveryRefusal(p.request, capabilities, api.baseUrl);
  if (refusal) throw new DeliveryRefusedError(refusal);
  const { use, trial } = await shouldUseTrialKeys(api, collection);
  const sendFolder = Boolean(p.folder && capabilities?.runbookFolders);
  if (sendFolder || p.files.length > 0) await ensureCollection(api, collection);
  const filePaths: string[] = [];
  for (const file of p.files) filePaths.push(await api.upload(collection, file));
  const folderPath = sendFolder ? await api.upload(collection, p.folder!.archive) : null;
  const request: RemoteRunRequest = {
    ...p.request,
    image: capabilities?.runImage ? p.request.image : null,
    sendParameters: capabilities?.runParameters ?? false,
    filePaths,
    folderPath,
    idempotencyKey: item.idempotency_key,
  };
  const started = await launchRemoteRun(api, request, use);
  const followed = await followRemoteRun(deps, { collection, task, ...started }, deps.follow);
  return {
    localId: followed.localId,
    remoteId: started.remoteId,
    trial: trialLines((started.trial ?? (use ? trial : null)) as never),
    link: webLink(api.baseUrl, collection, task, started.remoteId),
    done: followed.done,
  };
}

/** Delivers one outbox item to the remote; what each kind returns is the caller's answer. */
export async function deliver(deps: DeliveryDeps, item: OutboxItem): Promise<DeployResult | RemoteRunStarted | Record<string, unknown>> {
  const { api } = deps;
  if (item.kind === 'deploy') {
    const p = item.payload as unknown as DeployPayload;
    const secretValues: Record<string, string> = {};
    for (const name of p.setSecrets) {
      const value = deps.secret(name);
      if (value !== undefined) secretValues[name] = value;
    }
    const capabilities = await api.capabilities();
    return deploy(api, { source: p.source, collection: p.collection, task: p.task, files: p.files, folder: p.folder ?? null, capabilities, secretValues, idempotencyKey: item.idempotency_key });
  }
  if (item.kind === 'label') {
    const p = item.payload as unknown as LabelPayload;
    return api.addLabel(p.ref.collection, p.ref.task, p.ref.remote_id, p.label, item.idempotency_key);
  }
  return deliverRun(deps, item);
}
