import { existsSync } from 'node:fs';
import path from 'node:path';
import { WARM_POOL_DEFAULT, type Api } from '../../shared/contract';
import { createCloudService, type CloudService } from './cloud/cloud-service';
import { createEventBus, type EventBus } from './base/events';
import { remoteChangeGate } from './cloud/remote-change';
import { cloudHandlers, outboxView } from './handlers/cloud';
import { evaluationHandlers } from './handlers/evaluations';
import { createEvaluationService, createSuggestionService, imagePreparer, remoteExecutor, type EvaluationService, type SuggestionService } from './evaluations';
import { runHandlers } from './handlers/runs';
import { runFileInputs, uploadHandlers } from './handlers/uploads';
import { settingsHandlers } from './handlers/settings';
import { providerHandlers } from './handlers/providers';
import { createProviderRegistry, withProviderSettings } from './proxy/providers';
import { storageHandlers } from './handlers/storage';
import { templateHandlers } from './handlers/templates';
import { trajectoryHandlers } from './handlers/trajectories';
import { workflowHandlers } from './handlers/workflows';
import { workspaceHandlers } from './handlers/workspace';
import { openLocalServices, type LocalServices } from './local-services';
import { createProxy } from './proxy';
import { assembleRun, type RunSources } from './runs/assemble-run';
import { providerKeys } from './runs/provider-keys';
import type { RunOrder } from './runs/run-request';
import { openCollectionEnvironment } from './secrets/collection-env';
import { openSecretVault } from './secrets/vault';
import { engineBackend } from './mcp/backend';
import { mcpRoute } from './mcp/route';
import { jettyHttpRoutes } from './server/rest';
import { createCatalogView } from './server/rest/catalog-view';
import type { Route } from './server/router';
import { openSettings } from './base/settings';
import { trajectoryNotices } from './base/trajectory-notices';
import { watchOtherWriters } from './store';
import { VERSION } from './base/version';
import { newServeKey, publishServeFile } from './base/serve-file';
import { cliRunRoutes } from './server/rest/cli-runs';
import { engineOperations } from './operations';
import { createModelClient, createWorkflowRuntime, lintWorkflowText, runbookStep, type WorkflowRuntime, type WorkflowRuntimeDeps } from './workflows';
import { deployedTasksDir, runbookPathCheck } from './workspace/runbook-roots';
import { saveInsideFolders } from './workspace/save-inside-folders';
import { watchWorkspaces } from './workspace/watch';
import { folderWorkflow } from './workspace/workflow-files';
import { createWorkspaces } from './workspace/workspaces';
import { expireDrafts } from './uploads/draft-expiry';
import { draftUploads } from './uploads/draft-uploads';
import { sweepIncoming } from './uploads/incoming';
import { incomingDir } from './server/rest/files';
import { routineHandlers } from './handlers/routines';
import { createTraceExport, traceExportConfig, type TraceExport } from './interop/trace-export';
import { taskRuns } from './server/rest';
import { createRoutineService, type Clock, type RoutineService, type TaskLauncher } from './routines/service';
import { createWebhookService, type WebhookOptions, type WebhookService } from './webhooks/delivery';
import type { TrajectoryEvent } from '../../shared/trajectory';

export interface EngineOptions {
  dataDir: string;
  /** Folders to open at start (e.g. `jetty serve <folder>`). */
  folders?: string[];
  /** The secret store's key when the OS keychain holds it (Electron); else a 0600 key file. */
  vaultKey?: Buffer;
  env?: NodeJS.ProcessEnv;
  /**
   * Whether the desktop window's door (`api`, over IPC) takes host file paths in `run.start`,
   * `cloud.run` and `cloud.deploy` (the desktop app's picks); else only upload ids. The
   * WebSocket's door (`webApi`) never does.
   */
  hostInputFiles?: boolean;
  /**
   * Where the one-time code confirming a change of remote asked over the WebSocket is shown
   * (`jetty serve`: its terminal), and how that place is named to the user. Without it the
   * WebSocket cannot change the remote (the desktop app: only its window can).
   */
  remoteCodes?: { show(notice: { baseUrl: string; code: string }): void; where: string };
  /** The largest file one upload may hold (the default: MAX_DRAFT_UPLOAD_BYTES). */
  maxUploadBytes?: number;
  /** Workflow bounds other than the defaults (workflows/limits.ts); tests only. */
  workflowLimits?: WorkflowRuntimeDeps['limits'];
  /**
   * Origins workflow steps may download provider output files from although they are not
   * public https (`http://127.0.0.1:<port>` of a test's scripted model server). Tests only:
   * no command line flag, setting or environment variable reaches it.
   */
  trustedDownloadOrigins?: readonly string[];
  /**
   * Whether evaluations a crashed process left running resume at start (default true: the app,
   * `jetty serve`); `jetty eval` runs its own and resumes others only when asked.
   */
  resumeEvaluations?: boolean;
  /** The routines' clock (tests move it by hand); default the system's. */
  routineClock?: Clock;
  /**
   * Whether this engine fires routines (default true: the app, `jetty serve`, `jetty mcp`).
   * A short-lived command (`jetty routine`, `jetty workflow`) says false: it edits and runs
   * routines but leaves their schedule to the long-running engine.
   */
  scheduleRoutines?: boolean;
  /** Webhook delivery bounds other than the defaults (webhooks/delivery.ts); tests only. */
  webhookOptions?: WebhookOptions;
  /** The OpenTelemetry collector runs and passthrough calls are traced to (`jetty serve --otlp-endpoint`), over Settings'. */
  otlpEndpoint?: string;
  /** Wraps how routines start runs (a crash test kills its process around a firing); tests only. */
  routineLauncher?: (launcher: TaskLauncher) => TaskLauncher;
}

export interface Engine {
  /** The desktop window's door (IPC): host file paths when `hostInputFiles`, remote changes confirmed in the window. */
  api: Api;
  /** The WebSocket's door (a browser, or anything holding the local API token): uploads only, remote changes confirmed by a code shown elsewhere. */
  webApi: Api;
  bus: EventBus;
  services: LocalServices;
  workflows: WorkflowRuntime;
  /** The remote Jetty side: deploy, remote runs, pull, labels, the outbox (drained at start). */
  cloud: CloudService;
  /** Evaluations: a runbook's trials over a matrix of cells, durable across a crash. */
  evaluations: EvaluationService;
  /** "Suggest fixes" on evaluations: analysed failures, each proposed edit evaluated. */
  suggestions: SuggestionService;
  /** Scheduled runs (fired while this engine runs). */
  routines: RoutineService;
  /** Runs' webhooks and their durable delivery queue. */
  webhooks: WebhookService;
  /** OpenTelemetry export of ended runs and passthrough calls (its counts: sent, queued, dropped). */
  traces: TraceExport;
  /** The Jetty-compatible HTTP API (`/v1/chat/completions`, `/api/v1/…`) and `/mcp` over this engine. */
  routes: Route[];
  /**
   * Tells the engine where its HTTP API listens, so Settings can show it; with `cliRuns`, also
   * `jetty run` of this data folder (serve.json), which then hands its runs to this engine's
   * warm sandboxes (`server/rest/cli-runs.ts`) until the engine closes.
   */
  setLocalApi(info: { baseUrl: string; token: string }, options?: { cliRuns?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Tables whose changes alter what a trajectory header shows. */
const HEADER_TABLES = new Set(['trajectories', 'steps', 'labels', 'artifacts']);

/** Wires the engine's modules into the contract's methods. Transports call only this. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const env = options.env ?? process.env;
  const bus = createEventBus();
  const vault = openSecretVault(options.dataDir, options.vaultKey);
  const settings = openSettings(options.dataDir);
  const environment = openCollectionEnvironment({ dataDir: options.dataDir, key: options.vaultKey });
  // Every front door's runs are assembled from the same sources (Settings, vault, environment, collection environment).
  const runSources: RunSources = { env, settings: () => settings.get(), vault, environment };
  const services = openLocalServices(options.dataDir, {
    env,
    vault,
    gatewaySettings: () => settings.get(),
    secrets: { vault, environment },
    warmPoolSize: () => settings.get().warmPoolSize ?? WARM_POOL_DEFAULT,
    onEvent: (trajectoryId, event) => bus.emit('run.event', { trajectoryId, event }),
  });
  // Crashed runs are marked at once (synchronously); their containers are removed in the
  // background, so a slow Docker never delays start-up.
  void services.runner.recover();
  const startRun = (order: RunOrder) => services.runner.start(assembleRun(order, runSources));
  // Header changes are coalesced per trajectory and bounded in rate (trajectory-notices.ts):
  // a long run re-reads its growing trajectory at most once per interval, not every turn.
  // Trajectories stored whole (a busy proxy records hundreds a second) are announced by id
  // alone, all of a turn in one event, so the loop never reads them back.
  let addedIds: string[] = [];
  let closed = false;
  const notices = trajectoryNotices({
    read: (id) => services.store.getTrajectory(id),
    status: (id) => services.store.getTrajectoryHeader(id)?.status ?? null,
    send: (t) => bus.emit('trajectory.changed', t),
  });
  const emitAdded = () => {
    if (!closed) bus.emit('trajectories.added', { ids: addedIds });
    addedIds = [];
  };
  const unwatch = services.store.onChange(({ table, trajectoryId, imported }) => {
    if (!HEADER_TABLES.has(table) || !trajectoryId) return;
    if (!imported) return notices.changed(trajectoryId, table === 'trajectories');
    if (addedIds.length === 0) setImmediate(emitAdded);
    addedIds.push(trajectoryId);
  });
  const workspaces = createWorkspaces(bus, lintWorkflowText);
  const watcher = watchWorkspaces(workspaces, bus);
  for (const folder of options.folders ?? []) await workspaces.open(folder);
  // Runbook tasks deployed to this Jetty are listed (and runnable) beside the opened folders, once there are any.
  const deployedRoot = deployedTasksDir(options.dataDir);
  const showDeployed = async () => {
    if (!(await workspaces.list()).some((w) => w.folder === deployedRoot)) await workspaces.open(deployedRoot, 'deployed').catch(() => undefined);
  };
  if (existsSync(deployedRoot)) await showDeployed();

  // Workflow model steps and passthrough calls use the provider keys runs use (the vault's, else the environment's), kept current.
  const providerEnv = () => {
    const configured = withProviderSettings(env, settings.get());
    return { ...configured, ...providerKeys(configured, vault) };
  };
  const passthrough = createProxy({
    store: services.store,
    env: providerEnv(),
    onRecordingStatus: (status) => {
      if (!closed) bus.emit('recording.changed', status);
    },
  });
  const stopKeys = vault.onChange(() => passthrough.setEnv(providerEnv()));
  const stopProviderSettings = settings.onChange(() => passthrough.setEnv(providerEnv()));
  const workflows = createWorkflowRuntime({
    store: services.store,
    models: createModelClient(passthrough),
    taskWorkflow: async (collection, task) =>
      services.store.getTask(collection, task)?.workflow ?? folderWorkflow((await workspaces.list()).flatMap((ws) => ws.runbooks), collection, task),
    runRunbook: runbookStep({
      start: startRun,
      findRunbook: async (c, t) => (await workspaces.list()).flatMap((ws) => ws.runbooks).find((r) => r.kind !== 'workflow' && r.collection === c && r.name === t)?.path ?? null,
      artifactsRoot: path.join(options.dataDir, 'artifacts'),
      readable: runbookPathCheck(workspaces.list, options.dataDir),
      store: services.store,
    }),
    onProgress: (progress) => {
      if (!closed) bus.emit('workflow.progress', progress);
    },
    storeOutputFile: (collection, relativePath) => services.storage.enqueueInput(collection, relativePath),
    limits: options.workflowLimits,
    trustedDownloadOrigins: options.trustedDownloadOrigins,
  });
  // Workflows a crashed process left unfinished resume from their first unfinished step.
  workflows.resumeInterrupted();
  const uploads = draftUploads(options.dataDir, options.maxUploadBytes);
  // What a killed process left half-received is removed (in the background).
  void sweepIncoming(incomingDir(options.dataDir)).catch((error: unknown) => console.error('Removing files left half-received failed:', error));
  // Drafts no run kept are removed after a day: now, in the background, and daily.
  const draftExpiry = expireDrafts(uploads);
  const cloud = createCloudService({
    store: services.store,
    vault,
    dataDir: options.dataDir,
    env,
    onEvent: (trajectoryId, event) => bus.emit('run.event', { trajectoryId, event }),
    onStatus: (status) => bus.emit('cloud.status.changed', status),
    onOutbox: (items, delivered) => bus.emit('cloud.outbox.changed', { items: items.map(outboxView), delivered }),
    runSources,
  });
  // What a crashed or offline session left in the outbox is delivered now (and retried with backoff).
  void cloud.flush();
  const operations = engineOperations({ store: services.store, runner: services.runner, workflows, cloud });
  const evaluations = createEvaluationService({
    store: services.store,
    startRun,
    remote: remoteExecutor(cloud),
    prepareImage: imagePreparer(services.sandboxes, runSources),
    onChange: (id, status) => {
      if (!closed) bus.emit('evaluation.changed', { id, status });
    },
  });
  // Evaluations a crashed process left running finish their missing trials (finished ones are not run again).
  if (options.resumeEvaluations !== false) evaluations.resumeInterrupted();
  // "Suggest fixes": the analysis agent through the passthrough in process, each edit evaluated as any evaluation.
  const suggestions = createSuggestionService({
    store: services.store,
    evaluations,
    models: createModelClient(passthrough),
    dataDir: options.dataDir,
    defaultModel: () => settings.get().defaultModel,
    onChange: (id, set, state) => {
      if (!closed) bus.emit('evaluation.suggestionsChanged', { id, set, state });
    },
  });
  // Suggestion sets a crashed process left: an analysis cut short fails (interrupted), their evaluations are followed to the end.
  if (options.resumeEvaluations !== false) suggestions.resumeInterrupted();
  // Evaluations and suggestions another process writes to this data folder (`jetty eval` in a terminal) are announced as this engine's own are, so the views follow them live.
  const stopWatchingOthers = watchOtherWriters(services.store.otherWriters(), (writes) => {
    if (closed) return;
    for (const change of writes.evaluations) bus.emit('evaluation.changed', change);
    for (const change of writes.suggestionSets) bus.emit('evaluation.suggestionsChanged', change);
  });
  // A run's end is POSTed to its webhook from a durable queue (any header change may be a run's end).
  const webhooks = createWebhookService({ store: services.store, vault, options: options.webhookOptions });
  // Each run and passthrough call, once ended, goes to the OpenTelemetry collector Settings (or the flag, or the environment) name.
  const traces = createTraceExport({ store: services.store, config: () => traceExportConfig(settings.get(), env, options.otlpEndpoint) });
  const unwatchWebhooks = services.store.onChange(({ table, trajectoryId, imported }) => {
    if (table !== 'trajectories' || !trajectoryId || closed) return;
    if (!imported) webhooks.trajectoryChanged(trajectoryId);
    traces.trajectoryChanged(trajectoryId, Boolean(imported));
  });
  const runDeps = {
    uploads,
    store: services.store,
    storage: services.storage,
    dataDir: options.dataDir,
    workspaces: workspaces.list,
    runs: {
      start: startRun,
      onEvent: (listener: (trajectoryId: string, event: TrajectoryEvent) => void) => bus.subscribe('run.event', ({ trajectoryId, event }) => listener(trajectoryId, event)),
    },
    workflows,
  };
  // Routines start their runs as POST /run does (the same catalog and run start).
  const taskLauncher = taskRuns({ ...runDeps, catalog: createCatalogView(services.store, workspaces.list, deployedTasksDir(options.dataDir)) });
  const routines = createRoutineService({
    store: services.store,
    vault,
    webhooks,
    clock: options.routineClock,
    launcher: (options.routineLauncher ?? ((l: TaskLauncher) => l))({
      describe: (c, t) => taskLauncher.describe(c, t),
      launch: async (order) => void (await taskLauncher.start(order.collection, order.task, order)),
    }),
    onChange: () => !closed && bus.emit('routines.changed', {}),
  });
  if (options.scheduleRoutines !== false) void routines.start().catch((error: unknown) => console.error('Starting the routines failed:', error));
  const routes = jettyHttpRoutes({
    routines,
    webhooks,
    telemetry: () => traces.stats(),
    defaultModel: () => settings.get().defaultModel,
    uploads,
    store: services.store,
    storage: services.storage,
    dataDir: options.dataDir,
    environment,
    workspaces: workspaces.list,
    runs: {
      start: startRun,
      onEvent: (listener) => bus.subscribe('run.event', ({ trajectoryId, event }) => listener(trajectoryId, event)),
    },
    operations,
    passthrough,
    workflows,
    evaluations: {
      service: evaluations,
      onChange: (listener) => bus.subscribe('evaluation.changed', ({ id }) => listener(id)),
      suggestions,
    },
    runbookUrlHosts: () => settings.get().runbookUrlHosts,
    onDeployed: () => void showDeployed(),
  });

  // `jetty run` of this data folder hands its runs here with the key only serve.json holds (setLocalApi publishes it).
  const cliRunKey = newServeKey();
  let unpublish: (() => Promise<void>) | null = null;
  let closing: Promise<void> | null = null;
  routes.push(
    ...cliRunRoutes({
      key: cliRunKey,
      dataDir: options.dataDir,
      env,
      start: (request) => services.runner.start(request),
      onEvent: (listener) => bus.subscribe('run.event', ({ trajectoryId, event }) => listener(trajectoryId, event)),
    }),
  );

  const trajectories = trajectoryHandlers(services, operations);
  // What differs by door: host file paths and how a change of remote is confirmed.
  const doorHandlers = (desktop: boolean) => {
    const files = runFileInputs(uploads, desktop && (options.hostInputFiles ?? false));
    const remote = remoteChangeGate(
      desktop
        ? { kind: 'dialog' }
        : options.remoteCodes
          ? { kind: 'code', ...options.remoteCodes }
          : { kind: 'refused', why: 'the remote can be changed only in the desktop app’s Settings → Cloud' },
    );
    return {
      ...runHandlers(services, runSources, runbookPathCheck(workspaces.list, options.dataDir), files, operations),
      ...cloudHandlers(cloud, runbookPathCheck(workspaces.list, options.dataDir), { files, remote }),
    } satisfies Partial<Api>;
  };
  let localApi: { baseUrl: string; token: string } | null = null;
  const api: Api = {
    'localApi.info': async () => localApi,
    'recording.status': async () => passthrough.recordingStatus(),
    'telemetry.status': async () => traces.stats(),
    'app.info': async () => ({ version: VERSION, dataDir: options.dataDir }),
    ...workspaceHandlers(workspaces, settings, options.dataDir),
    ...templateHandlers(workspaces),
    ...doorHandlers(true),
    ...uploadHandlers({ uploads, store: services.store, workspaces: workspaces.list, readable: runbookPathCheck(workspaces.list, options.dataDir) }),
    ...trajectories,
    ...workflowHandlers({ workflows, store: services.store, workspaces, readable: runbookPathCheck(workspaces.list, options.dataDir) }),
    ...evaluationHandlers({
      evaluations,
      suggestions,
      store: services.store,
      readable: runbookPathCheck(workspaces.list, options.dataDir),
      // Applying a suggestion writes as saving a runbook does: inside an open folder only, then its folder is rescanned.
      save: async (file, text) => {
        const folder = await saveInsideFolders((await workspaces.list()).map((w) => w.folder), file, text);
        void workspaces.open(folder).catch(() => undefined);
      },
    }),
    ...settingsHandlers(vault, settings, services.sandboxes, env),
    ...routineHandlers(routines),
    ...providerHandlers({ vault, env, providers: () => createProviderRegistry({ env: providerEnv() }) }),
    ...storageHandlers({ storage: services.storage, catalog: createCatalogView(services.store, workspaces.list, deployedTasksDir(options.dataDir)), store: services.store }),
  };
  const webApi: Api = { ...api, ...doorHandlers(false) };
  // `/mcp`: this engine as an MCP server whose tools call the API above and the contract, through the
  // same door as the WebSocket (a client over HTTP holds the token, not the host: no host paths).
  routes.push(mcpRoute(engineBackend({ api: webApi, bus }, env)));
  const unwatchStorage = [
    services.storage.onUpload((attempt) => !closed && bus.emit('storage.changed', attempt)),
    services.storage.onProgress((progress) => !closed && bus.emit('storage.progress', progress)),
  ];
  return {
    api,
    webApi,
    bus,
    services,
    workflows,
    cloud,
    evaluations,
    suggestions,
    routes,
    routines,
    webhooks,
    traces,
    async setLocalApi(info, { cliRuns = false } = {}) {
      localApi = info;
      if (!cliRuns || closed) return;
      unpublish = await publishServeFile(options.dataDir, { pid: process.pid, origin: info.baseUrl, token: info.token, key: cliRunKey, version: VERSION });
      // Closed while it was written: taken back at once.
      if (closed) await unpublish();
    },
    /** Closes everything once; a second call waits for the first. */
    close: () => (closing ??= closeAll()),
  };

  async function closeAll(): Promise<void> {
    closed = true;
    // No new `jetty run` is handed to an engine that is closing.
    await unpublish?.().catch(() => undefined);
    routines.close();
    unwatchWebhooks();
    traces.close();
    await webhooks.close();
    unwatch();
    stopWatchingOthers();
    stopKeys();
    stopProviderSettings();
    notices.close();
    for (const off of unwatchStorage) off();
    watcher.close();
    workspaces.close();
    // The suggestions' work waits on their evaluations: stopped first, awaited once the evaluations closed.
    const suggesting = suggestions.close();
    await evaluations.close();
    await suggesting;
    await workflows.close();
    await cloud.close();
    await passthrough.close();
    await draftExpiry.close();
    await services.close();
  }
}
