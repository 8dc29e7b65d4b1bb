import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import type { Label, TrajectoryEvent } from '../../../shared/trajectory';
import type { SecretVault } from '../secrets/vault';
import type { NewOutboxItem, OutboxItem, Store } from '../store';
import { openConnection, type ConnectionStatus } from './connection';
import { deliver, type DeliveryDeps, type DeployPayload, type LabelPayload, type RunPayload, type RemoteRunStarted } from './deliveries';
import { preflight, readDeploySource, type DeployResult } from './deploy';
import type { HttpClientOptions } from './http-client';
import type { CloudLimits } from './limits';
import { createOutboxWorker } from './outbox-worker';
import { outgoingItems } from './outgoing';
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
  onOutbox?(items: OutboxItem[]): void;
  http?: Partial<HttpClientOptions>;
  /** Bounds on the remote (CLOUD_LIMITS unless given; tests make them small). */
  limits?: Partial<CloudLimits>;
  outboxRetryMs?: number;
  follow?: FollowOptions;
}

/** What a push answers: delivered now, or queued in the outbox (the remote is unreachable; why). */
export type Submitted<T> = { status: 'delivered'; result: T } | { status: 'queued'; seq: number; reason: string };

/**
 * The cloud side of the app over one remote Jetty: connection, browse, deploy with secret
 * preflight, remote runs followed live, pull, labels both ways, and the outbox every push
 * goes through. Everything about to leave is audited for secrets first.
 */
export function createCloudService(options: CloudServiceOptions) {
  const { store, vault } = options;
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
  const worker = createOutboxWorker({
    outbox: store.outbox(),
    deliver: async (item) => {
      const value = await deliver(deliveryDeps(), item);
      if (item.kind === 'run') {
        const done = (value as RemoteRunStarted).done.catch(() => undefined);
        runs.add(done);
        void done.finally(() => runs.delete(done));
      }
      return value;
    },
    observe: (error) => connection.observe(error),
    onChange: () => options.onOutbox?.(store.outbox().list()),
    retryMs: options.outboxRetryMs,
  });

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
  async function submit<T>(item: Omit<NewOutboxItem, 'base_url' | 'idempotency_key'>): Promise<Submitted<T>> {
    const outbox = store.outbox();
    const queued = outbox.add({ ...item, base_url: connection.baseUrl, idempotency_key: randomUUID() });
    options.onOutbox?.(outbox.list());
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
    options.onOutbox?.(outbox.list());
    throw new RemoteError('rejected', result.item.last_error ?? 'the remote refused it');
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
    async preflight(file: string, collection: string) {
      const source = await readDeploySource(file);
      return { ...(await remote(() => preflight(connection.api(), collection, source))), inVault: source.secrets.filter((s) => vault.has(s)) };
    },
    /** Deploys a runbook or workflow (see deploy.ts); `setSecrets` names missing secrets to set from the vault. */
    async deploy(input: { file: string; collection: string; task?: string; files?: string[]; setSecrets?: string[]; allowSecrets?: string[] }) {
      const source = await readDeploySource(input.file);
      const files = (input.files ?? []).map((f) => path.resolve(f));
      audit(await outgoingItems({ runbookPath: source.file, text: source.text, files }), input.allowSecrets);
      const payload: DeployPayload = { source, collection: input.collection, task: input.task ?? source.defaultTask, files, setSecrets: input.setSecrets ?? [] };
      return submit<DeployResult>({ kind: 'deploy', summary: `deploy ${payload.collection}/${payload.task}`, payload: payload as never });
    },
    /** Runs a runbook (or a workflow task) on the remote and follows it into the local store. */
    async run(input: { file: string; collection: string; task?: string; params?: Record<string, string>; files?: string[]; agent?: string; model?: string; allowSecrets?: string[] }) {
      const source = await readDeploySource(input.file);
      const files = (input.files ?? []).map((f) => path.resolve(f));
      const params = input.params ?? {};
      audit(await outgoingItems({ runbookPath: source.file, text: source.text, params, files }), input.allowSecrets);
      const task = input.task ?? source.defaultTask;
      const payload: RunPayload = {
        request: { kind: source.kind, collection: input.collection, task, text: source.text, params, agent: input.agent ?? 'claude-code', model: input.model },
        files,
      };
      return submit<RemoteRunStarted>({ kind: 'run', summary: `run ${input.collection}/${task}`, payload: payload as never });
    },
    /** What the audit would flag in a deploy or remote run of `file` (shown before sending, each item overridable). */
    async auditHits(input: { file: string; params?: Record<string, string>; files?: string[] }) {
      const source = await readDeploySource(input.file);
      const files = (input.files ?? []).map((f) => path.resolve(f));
      return auditOutgoing(await outgoingItems({ runbookPath: source.file, text: source.text, params: input.params, files }), knownSecrets());
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
    /** Puts a failed item back and delivers the queue. */
    async retry(seq: number) {
      const ok = store.outbox().retry(seq);
      options.onOutbox?.(store.outbox().list());
      await worker.drain();
      return ok;
    },
    drop(seq: number) {
      const ok = store.outbox().remove(seq);
      options.onOutbox?.(store.outbox().list());
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
