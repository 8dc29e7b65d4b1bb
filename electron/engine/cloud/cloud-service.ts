import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import type { Label, TrajectoryEvent } from '../../../shared/trajectory';
import type { SecretVault } from '../secrets/vault';
import type { NewOutboxItem, OutboxItem, Store } from '../store';
import { openConnection, type ConnectionStatus } from './connection';
import type { CloudOutboxDelivery, RemotePlan } from '../../../shared/cloud';
import { collectionNameOf } from '../../../shared/names';
import { analyzeRunbookFile } from '../runbook';
import { runbookFolder } from '../runbook/folder';
import { openSettings } from '../base/settings';
import type { RunSources } from '../runs/assemble-run';
import type { RunDoor } from '../runs/run-request';
import type { RemoteCapabilities } from './capabilities';
import { deliver, type DeliveryDeps, type DeployPayload, type LabelPayload, type RunPayload, type RemoteRunStarted } from './deliveries';
import { deployLine, preflight, readDeploySource, type DeployResult, type DeploySource } from './deploy';
import { removeOutboxFiles, snapshotFolder, sweepOutboxFiles } from './outbox-files';
import { planRemoteRun, type FolderListing, type RemoteChoices } from './remote-plan';
import type { HttpClientOptions } from './http-client';
import type { CloudLimits } from './limits';
import { createOutboxWorker } from './outbox-worker';
import { outgoingItems, readOutgoingFolder, type OutgoingFolder } from './outgoing';
import { pullTask, type PullOptions } from './pull';
import { RemoteError } from './remote-error';
import type { FollowOptions } from './remote-run';
import { assertClean, auditOutgoing, type OutgoingItem } from './secret-audit';

export interface CloudServiceOptions {
  store: Store;
  vault: SecretVault;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Events of followed remote runs, as stored (like a local run's `run.event`). */
  onEvent?(trajectoryId: string, event: TrajectoryEvent): void;
  onStatus?(status: ConnectionStatus): void;
  onOutbox?(items: OutboxItem[], delivered: CloudOutboxDelivery[]): void;
  http?: Partial<HttpClientOptions>;
  /** Bounds on the remote (CLOUD_LIMITS unless given; tests make them small). */
  limits?: Partial<CloudLimits>;
  outboxRetryMs?: number;
  follow?: FollowOptions;
  /** What a run is assembled from here (Settings, the vault, the environment): a remote run's plan is this machine's. Default: the data folder's Settings, `vault`, `env`. */
  runSources?: RunSources;
}

/** A remote run's order as the doors give it. */
export interface RemoteRunInput {
  file: string;
  /** A collection name, or a nested collection's path (see collectionNameOf). */
  collection: string;
  task?: string;
  params?: Record<string, string>;
  files?: string[];
  agent?: string;
  model?: string;
  image?: string;
  /** The front door (names the run's own choices in its plan). */
  door?: RunDoor;
}

/** Refused before anything is sent: the remote run's plan has problems (an agent the remote does not offer, a missing file…). */
export class RemotePlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`the remote run cannot start:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RemotePlanError';
  }
}

/** A collection as the remote names it: a nested collection's path keeps every segment (`owner/sub` → `owner__sub`). */
function remoteCollection(collection: string): string {
  try {
    return collectionNameOf(collection);
  } catch (error) {
    throw new RemotePlanError([(error as Error).message]);
  }
}

/** What came of a delivered item, in one line. */
function outcomeOf(kind: OutboxItem['kind'], value: unknown): string {
  if (kind === 'deploy') return deployLine(value as DeployResult);
  if (kind === 'run') {
    const started = value as RemoteRunStarted;
    return `remote run ${started.remoteId} started, followed as ${started.localId}`;
  }
  return 'label added on the remote';
}

/** How many deliveries of items that had waited are remembered (newest first). */
const MAX_DELIVERIES = 50;

/** What a push answers: delivered now, or queued in the outbox (the remote is unreachable; why). */
export type Submitted<T> = { status: 'delivered'; result: T } | { status: 'queued'; seq: number; reason: string };

/**
 * The cloud side of the app over one remote Jetty: connection, browse, deploy with secret
 * preflight, remote runs followed live, pull, labels both ways, and the outbox every push
 * goes through. Everything about to leave is audited for secrets first.
 */
export function createCloudService(options: CloudServiceOptions) {
  const { store, vault } = options;
  const runSources: RunSources = options.runSources ?? { env: options.env, settings: () => openSettings(options.dataDir).get(), vault, environment: null };
  const limits = options.limits ?? {};
  const http: Partial<HttpClientOptions> = { timeoutMs: limits.idleMs, answerBytes: limits.answerBytes, errorBodyBytes: limits.errorBodyBytes, requestMs: limits.requestMs, ...options.http };
  const connection = openConnection({ dataDir: options.dataDir, env: options.env, http, onChange: options.onStatus });
  const runs = new Set<Promise<unknown>>();
  const stop = new AbortController();
  // Every followed run's requests listen on it, however many runs are followed at once.
  setMaxListeners(0, stop.signal);
  const deliveryDeps = (): DeliveryDeps => ({
    store,
    api: connection.api(),
    artifactsRoot: path.join(options.dataDir, 'artifacts'),
    onEvent: options.onEvent,
    limits,
    secret: (name) => vault.get(name),
    follow: { ...options.follow, signal: stop.signal },
  });
  /** Items delivered (newest first) with what came of each, so a deploy delivered after it waited shows its outcome. */
  const delivered: CloudOutboxDelivery[] = [];
  const outboxChanged = () => options.onOutbox?.(store.outbox().list(), delivered);
  const worker = createOutboxWorker({
    outbox: store.outbox(),
    deliver: async (item) => {
      const value = await deliver(deliveryDeps(), item);
      if (item.kind === 'run') {
        const done = (value as RemoteRunStarted).done.catch(() => undefined);
        runs.add(done);
        void done.finally(() => runs.delete(done));
      }
      delivered.unshift({ seq: item.seq, kind: item.kind, summary: item.summary, delivered_at: new Date().toISOString(), outcome: outcomeOf(item.kind, value) });
      delivered.splice(MAX_DELIVERIES);
      await removeOutboxFiles(options.dataDir, item.idempotency_key);
      return value;
    },
    observe: (error) => connection.observe(error),
    onChange: outboxChanged,
    retryMs: options.outboxRetryMs,
  });
  // Copies an item kept that is no longer queued (a crash between taking them and queueing it) go.
  void sweepOutboxFiles(options.dataDir, new Set(store.outbox().list().map((i) => i.idempotency_key))).catch(() => undefined);

  /** The vault's secrets and the run's: what the audit looks for. */
  const knownSecrets = (extra: Record<string, string> = {}): Record<string, string> => {
    const all: Record<string, string> = {};
    for (const name of vault.names()) all[name] = vault.get(name)!;
    return { ...all, ...extra };
  };
  const audit = (items: OutgoingItem[], allowed: readonly string[] = [], extra?: Record<string, string>) => assertClean(items, knownSecrets(extra), allowed);

  /** A call to the remote that records what it learnt about the connection. */
  async function remote<T>(call: () => Promise<T>): Promise<T> {
    try {
      const value = await call();
      connection.observe(null);
      return value;
    } catch (error) {
      if (error instanceof RemoteError) connection.observe(error);
      throw error;
    }
  }

  /**
   * Queues an item and, when nothing is ahead of it, delivers it now. A transient failure
   * leaves it queued (delivered when the remote is back); a refusal for good is thrown with
   * the remote's message and the item removed (the user saw it, nothing waits).
   */
  async function submit<T>(item: Omit<NewOutboxItem, 'base_url' | 'idempotency_key'>, key: string = randomUUID()): Promise<Submitted<T>> {
    const outbox = store.outbox();
    const queued = outbox.add({ ...item, base_url: connection.baseUrl, idempotency_key: key });
    outboxChanged();
    const ahead = outbox.list().some((i) => i.seq < queued.seq && i.state === 'pending');
    if (ahead) {
      void worker.drain();
      return { status: 'queued', seq: queued.seq, reason: 'earlier items are waiting for the remote' };
    }
    const outcome = worker.outcome(queued.seq);
    void worker.drain();
    const result = await outcome;
    if (result.delivered) return { status: 'delivered', result: result.value as T };
    if (result.item.state === 'pending') return { status: 'queued', seq: queued.seq, reason: result.item.last_error ?? 'the remote is unreachable' };
    outbox.remove(queued.seq);
    await removeOutboxFiles(options.dataDir, key);
    outboxChanged();
    throw new RemoteError('rejected', result.item.last_error ?? 'the remote refused it');
  }

  /** What the remote can honour, or null while it cannot be reached (then checked at delivery). */
  async function reachableCapabilities(): Promise<RemoteCapabilities | null> {
    try {
      return await remote(() => connection.api().capabilities());
    } catch (error) {
      if (error instanceof RemoteError && error.transient) return null;
      throw error;
    }
  }

  /** A runbook's folder as it leaves (null for a workflow): read once, audited, kept for the outbox item `key`. */
  async function outgoingFolder(source: DeploySource): Promise<OutgoingFolder | null> {
    return source.kind === 'runbook' ? readOutgoingFolder(source.file, source.text) : null;
  }

  /** A remote run's plan from this machine's run plan and what the remote can honour now. */
  async function plan(input: RemoteRunInput, source: DeploySource, folder: FolderListing): Promise<{ plan: RemotePlan; choices: RemoteChoices }> {
    const order = {
      runbookPath: source.file,
      collection: remoteCollection(input.collection),
      params: input.params ?? {},
      files: (input.files ?? []).map((f) => path.resolve(f)),
      agent: input.agent || undefined,
      model: input.model || undefined,
      image: input.image || undefined,
      door: input.door ?? 'ui',
    };
    return planRemoteRun(order, await analyzeRunbookFile(source.file, source.text), folder, runSources, { baseUrl: connection.baseUrl, capabilities: await reachableCapabilities() });
  }

  return {
    status: () => connection.status(),
    async signIn(token: string, baseUrl?: string): Promise<ConnectionStatus> {
      await connection.signIn(token, baseUrl);
      await remote(() => connection.api().collections()).catch(() => undefined);
      if (connection.status().state === 'online') void worker.drain();
      return connection.status();
    },
    signOut: () => {
      connection.signOut();
      return connection.status();
    },
    /** Checks the token against the remote (`jetty whoami`). */
    async check(): Promise<ConnectionStatus> {
      await remote(() => connection.api().collections()).catch(() => undefined);
      return connection.status();
    },
    collections: () => remote(() => connection.api().collections()),
    tasks: (collection: string) => remote(() => connection.api().tasks(collection)),
    trajectories: (collection: string, task: string, page: number, limit: number) => remote(() => connection.api().trajectories(collection, task, page, limit)),
    stats: (collection: string, task: string) => remote(() => connection.api().stats(collection, task)),
    trial: (collection: string) => remote(() => connection.api().trial(collection)),
    /** The runbook's required secrets and those the local vault holds (no remote needed: a deploy queued offline sets them at delivery). */
    async declaredSecrets(file: string) {
      const source = await readDeploySource(file);
      return { required: source.secrets, inVault: source.secrets.filter((s) => vault.has(s)) };
    },
    async preflight(file: string, collection: string) {
      const source = await readDeploySource(file);
      return { ...(await remote(() => preflight(connection.api(), remoteCollection(collection), source))), inVault: source.secrets.filter((s) => vault.has(s)) };
    },
    /**
     * Deploys a runbook (its whole folder) or workflow (see deploy.ts); `setSecrets` names
     * missing secrets to set from the vault. The audit runs over everything that leaves
     * before it is queued; the secret preflight runs at delivery (so a deploy made offline
     * waits in the outbox, and a refusal shows there).
     */
    async deploy(input: { file: string; collection: string; task?: string; files?: string[]; setSecrets?: string[]; allowSecrets?: string[] }) {
      const source = await readDeploySource(input.file);
      const collection = remoteCollection(input.collection);
      const files = (input.files ?? []).map((f) => path.resolve(f));
      const folder = await outgoingFolder(source);
      audit(await outgoingItems({ runbookPath: source.file, text: source.text, files, folder }), input.allowSecrets);
      const key = randomUUID();
      const snapshot = folder && (await snapshotFolder(options.dataDir, key, folder));
      const payload: DeployPayload = { source, collection, task: input.task ?? source.defaultTask, files, folder: snapshot, setSecrets: input.setSecrets ?? [] };
      return submit<DeployResult>({ kind: 'deploy', summary: `deploy ${payload.collection}/${payload.task}`, payload: payload as never }, key);
    },
    /** What a remote run of the runbook would use, and what the remote can honour of it (see remote-plan.ts). */
    async runPlan(input: RemoteRunInput): Promise<RemotePlan> {
      const source = await readDeploySource(input.file);
      if (source.kind !== 'runbook') throw new RemotePlanError([`${path.basename(source.file)} is a workflow: its run has no agent, model or image to plan`]);
      // The folder's listing only (its files are read when the run is made).
      const listed = await runbookFolder(source.file).catch((error: Error) => {
        throw new RemotePlanError([error.message]);
      });
      return (await plan(input, source, { paths: listed.files.map((f) => f.path), bytes: listed.bytes })).plan;
    },
    /**
     * Runs a runbook (or a workflow task) on the remote as its plan says — agent, model,
     * image, parameters, input files and folder — and follows it into the local store;
     * refused before anything is sent when the plan has problems.
     */
    async run(input: RemoteRunInput & { allowSecrets?: string[] }) {
      const source = await readDeploySource(input.file);
      const collection = remoteCollection(input.collection);
      const files = (input.files ?? []).map((f) => path.resolve(f));
      const params = input.params ?? {};
      const folder = await outgoingFolder(source);
      // The audit first: a blocked push asks nothing of the remote.
      audit(await outgoingItems({ runbookPath: source.file, text: source.text, params, files, folder }), input.allowSecrets);
      const planned = folder && (await plan(input, source, { paths: folder.entries.map((e) => e.path), bytes: folder.bytes }));
      if (planned && planned.plan.problems.length > 0) throw new RemotePlanError(planned.plan.problems);
      const task = input.task ?? source.defaultTask;
      const key = randomUUID();
      // A workflow task's run has no agent, model or image of its own (its steps name theirs).
      const choices = planned?.choices ?? { agent: '', model: undefined, image: null };
      const payload: RunPayload = {
        request: { kind: source.kind, collection, task, text: source.text, params, agent: choices.agent, model: choices.model, image: choices.image },
        files,
        folder: folder && (await snapshotFolder(options.dataDir, key, folder)),
      };
      return submit<RemoteRunStarted>({ kind: 'run', summary: `run ${collection}/${task}`, payload: payload as never }, key);
    },
    /** What the audit would flag in a deploy or remote run of `file`, its folder included (shown before sending, each item overridable). */
    async auditHits(input: { file: string; params?: Record<string, string>; files?: string[] }) {
      const source = await readDeploySource(input.file);
      const files = (input.files ?? []).map((f) => path.resolve(f));
      const folder = await outgoingFolder(source);
      return auditOutgoing(await outgoingItems({ runbookPath: source.file, text: source.text, params: input.params, files, folder }), knownSecrets());
    },
    pull: (opts: PullOptions) => remote(() => pullTask(deliveryDeps(), opts)),
    /** After a label was added locally: a pulled trajectory's label goes to its remote (through the outbox). */
    async pushLabel(id: string, label: Pick<Label, 'key' | 'value' | 'author'>): Promise<Submitted<unknown> | null> {
      const origin = store.origins().ofTrajectory(id);
      if (!origin) return null;
      audit([{ item: `label ${label.key}`, text: `${label.key}\n${label.value}\n${label.author}` }]);
      const payload: LabelPayload = { ref: origin, label };
      return submit({ kind: 'label', summary: `label ${label.key}=${label.value} on ${origin.collection}/${origin.task}/${origin.remote_id}`, payload: payload as never });
    },
    origin: (id: string) => store.origins().ofTrajectory(id),
    /** The local copies of a remote task's trajectories, by remote id. */
    localCopies: (collection: string, task: string) => store.origins().ofTask(connection.baseUrl, collection, task),
    outbox: () => store.outbox().list(),
    /** Items delivered after they were queued (newest first), with what came of each. */
    delivered: (): CloudOutboxDelivery[] => [...delivered],
    /** Puts a failed item back and delivers the queue. */
    async retry(seq: number) {
      const ok = store.outbox().retry(seq);
      outboxChanged();
      await worker.drain();
      return ok;
    },
    async drop(seq: number) {
      const item = store.outbox().get(seq);
      const ok = store.outbox().remove(seq);
      if (item) await removeOutboxFiles(options.dataDir, item.idempotency_key);
      outboxChanged();
      return ok;
    },
    /** Delivers what is pending (also done at start-up and after each transient failure, with backoff). */
    flush: () => worker.drain(),
    /** Remote runs still being followed (tests and shutdown wait for them). */
    following: (): Promise<unknown[]> => Promise.all([...runs]),
    async close(): Promise<void> {
      stop.abort();
      await worker.close();
      await Promise.all([...runs]);
      await connection.close();
    },
  };
}
export type CloudService = ReturnType<typeof createCloudService>;
