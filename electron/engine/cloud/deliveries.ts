import type { Label } from '../../../shared/trajectory';
import type { OutboxItem, RemoteRef } from '../store';
import { deploy, type DeployResult, type DeploySource } from './deploy';
import type { RemoteApi } from './remote-api';
import { followRemoteRun, launchRemoteRun, shouldUseTrialKeys, type FollowOptions, type RemoteRunRequest } from './remote-run';
import type { SyncDeps } from './pulled-sync';
import { trialLines, webLink } from './web-links';

/** What an outbox item carries (no secret values: secrets are named, read at delivery). */
export interface DeployPayload {
  source: DeploySource;
  collection: string;
  task: string;
  files: string[];
  setSecrets: string[];
}
export interface RunPayload {
  request: Omit<RemoteRunRequest, 'idempotencyKey' | 'filePaths'>;
  /** Local input files, uploaded at delivery. */
  files: string[];
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
    return deploy(api, { source: p.source, collection: p.collection, task: p.task, files: p.files, secretValues, idempotencyKey: item.idempotency_key });
  }
  if (item.kind === 'label') {
    const p = item.payload as unknown as LabelPayload;
    return api.addLabel(p.ref.collection, p.ref.task, p.ref.remote_id, p.label, item.idempotency_key);
  }
  const p = item.payload as unknown as RunPayload;
  const { use, trial } = await shouldUseTrialKeys(api, p.request.collection);
  const filePaths: string[] = [];
  for (const file of p.files) filePaths.push(await api.upload(p.request.collection, file));
  const started = await launchRemoteRun(api, { ...p.request, filePaths, idempotencyKey: item.idempotency_key }, use);
  const followed = await followRemoteRun(deps, { collection: p.request.collection, task: p.request.task, ...started }, deps.follow);
  return {
    localId: followed.localId,
    remoteId: started.remoteId,
    trial: trialLines((started.trial ?? (use ? trial : null)) as never),
    link: webLink(api.baseUrl, p.request.collection, p.request.task, started.remoteId),
    done: followed.done,
  };
}
