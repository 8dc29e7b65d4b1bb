import { z } from 'zod';
import {
  LabelSchema,
  TrajectoryEventSchema,
  TrajectoryExportSchema,
  TrajectoryKindSchema,
  TrajectorySchema,
  TrajectoryStatusSchema,
} from './trajectory';
import { ModelCallConversationSchema } from './conversation';
import { EvaluationVerdictSchema, TrajectorySortSchema } from './evaluation';
import { NameSchema } from './names';
import { cloudEvents, cloudMethods } from './cloud';
import { storageEvents, storageMethods } from './storage-api';
import { evaluationEvents, evaluationMethods } from './evaluations';
import { evaluationSuggestionEvents, evaluationSuggestionMethods } from './evaluation-suggestions';
import { routineEvents, routineMethods } from './routines';
import { DiagnosticSchema, QuickFixSchema, RunbookAnalysisSchema, RunbookEntrySchema } from './runbook';
import { RunInputsSchema, UploadIdSchema, UploadInfoSchema } from './uploads';
import { ImageNameSchema } from './images';
import { RunPlanSchema } from './run-plan';
import {
  SortDirectionSchema,
  TrajectoryChildrenSchema,
  TrajectoryFacetsSchema,
  TrajectoryOrderSchema,
  TrajectoryPageExtrasSchema,
  TrajectoryRelationsSchema,
} from './trajectory-search';
import { FolderProblemsSchema, LintIgnoreScopeSchema } from './problems';

export { ImageNameSchema } from './images';
export { RunPlanChoiceSchema, RunPlanSchema, type RunPlan, type RunPlanChoice } from './run-plan';

/**
 * The one API contract between the renderer and the engine. Every capability the UI
 * uses is a method (input schema → output schema) or an event (payload schema) here.
 * The Electron IPC bridge and the `jetty serve` WebSocket are both generated from this
 * table and both validate input with these schemas.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

const NonEmptyPath = z.string().min(1, 'a path is required').max(4096, 'path is too long');

export const WorkspaceSchema = z.object({
  folder: z.string(),
  runbooks: z.array(RunbookEntrySchema),
  /** Set for a folder Jetty keeps rather than one the user opened: `deployed`, the runbook tasks deployed to this Jetty (their folders). */
  kind: z.enum(['deployed']).optional(),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** A file's first bytes for a preview: text as it is, anything else base64. */
const FilePreviewSchema = z.object({ path: z.string(), mediaType: z.string(), size: z.number().int(), encoding: z.enum(['utf8', 'base64']), content: z.string(), truncated: z.boolean() });

const TrajectoryId = z.string().regex(/^[0-9a-f]{8}$/, 'a trajectory id is 8 hex characters');
const SecretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a secret name is letters, digits and _');

export const TrajectoryPageSchema = z.object({
  trajectories: z.array(TrajectorySchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  has_more: z.boolean(),
}).extend(TrajectoryPageExtrasSchema.shape);

/** A DNS name or IPv4 address, as `URL.hostname` gives it (lower case, no port). */
const HostName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a host name in lower case, without scheme, port or path (e.g. raw.githubusercontent.com)');

/** A model endpoint of the user's (a model server, a proxy): its name is the model prefix; its key is the secret `ENDPOINT_<NAME>_API_KEY`. */
export const ModelEndpointSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'an endpoint name is lowercase letters, digits, "-" or "_" (it becomes the model prefix)'),
  baseUrl: z.string().url().max(2048),
  wire: z.enum(['chat-completions', 'responses', 'anthropic-messages', 'gemini']).optional(),
});
export type ModelEndpoint = z.infer<typeof ModelEndpointSchema>;

/** A local model server's model: whether it takes tools and its context window, as the server says. */
export const LocalModelSchema = z.object({ id: z.string(), tools: z.enum(['yes', 'no', 'unknown']), context: z.number().int().nullable() });

/** App settings that are not secret (API keys live in the secret store). */
/** The warm pool now: its size, the started containers parked per image and network, whether it is making one. */
export const WarmPoolStatusSchema = z.object({
  size: z.number().int(),
  parked: z.array(z.object({ image: z.string(), network: z.string(), count: z.number().int() })),
  warming: z.boolean(),
});

/** The warm pool's size when Settings name none, and the most it may be set to (per image). */
export const WARM_POOL_DEFAULT = 2;
export const WARM_POOL_MAX = 8;

export const SettingsSchema = z.object({
  theme: z.enum(['system', 'dark', 'light']),
  defaultAgent: z.string().max(64),
  defaultModel: z.string().max(256),
  /** The built-in agent's OpenAI-compatible endpoint; its key is the secret OPENAI_API_KEY. */
  modelBaseUrl: z.string().max(2048),
  /** The sandbox image every run uses unless the run or its collection names one ('': the runbook's snapshot/image). */
  defaultImage: z.union([z.literal(''), ImageNameSchema]),
  /** Each collection's sandbox image, by collection name: over `defaultImage`, under a run's own choice. */
  collectionImages: z.record(NameSchema, ImageNameSchema),
  recentFolders: z.array(z.string().max(4096)).max(20),
  /**
   * Hosts a chat request's `jetty.runbook_url` may fetch a runbook from (https; http only
   * from loopback). Empty (the default): no runbook is fetched from the network.
   */
  runbookUrlHosts: z.array(HostName).max(50),
  /** Model prices (USD per million tokens) that replace or add to the gateway's table, by model name or prefix. */
  modelPrices: z.record(z.string().max(256), z.object({ input: z.number().nonnegative(), output: z.number().nonnegative(), cachedInput: z.number().nonnegative().optional() })).optional(),
  /** Every run's budget unless its runbook sets `max_cost_usd` / `max_tokens`; enforced at the gateway. */
  maxCostUsd: z.number().positive().nullable().optional(),
  maxTokens: z.number().int().positive().nullable().optional(),
  /**
   * Warm sandboxes: how many started containers `jetty serve` and the app keep parked per
   * image (and limits and network) that runs used lately, so a run adopts one instead of
   * waiting for Docker to make it. 0 turns the pool off. Default WARM_POOL_DEFAULT.
   */
  warmPoolSize: z.number().int().min(0).max(WARM_POOL_MAX).optional(),
  /** An OpenTelemetry collector (OTLP/HTTP, e.g. http://127.0.0.1:4318) each run and passthrough call is sent to as GenAI spans; '' or absent: none. */
  otlpEndpoint: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2048)]).optional(),
  /** Whether those spans carry message content (prompts, completions, tool arguments and results; redacted). Off by default. */
  otlpCaptureContent: z.boolean().optional(),
  /** Base URLs that replace the provider catalog's defaults, by model prefix (over `<PREFIX>_BASE_URL`). */
  providerBaseUrls: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), z.string().max(2048)).optional(),
  /** The user's model endpoints, each reachable as `<name>/<model>`. */
  endpoints: z.array(ModelEndpointSchema).max(50).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What the passthrough's recording has done since the engine started. */
export const RecordingStatusSchema = z.object({
  /** Calls stored. */
  recorded: z.number().int(),
  /** Calls that could not be recorded (each logged with its reason). */
  failed: z.number().int(),
  lastFailure: z.object({ id: z.string(), reason: z.string(), at: z.string() }).nullable(),
  /** The disk is full: new passthrough calls are refused (507) until there is room. */
  diskFull: z.boolean(),
});
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>;

/** A step template as the editor knows it: its parameters and outputs (completion, hovers, the step graph). */
export const WorkflowActivitySchema = z.object({
  activity_name: z.string(),
  category: z.string(),
  description: z.string(),
  parameters: z.array(z.object({ name: z.string(), type: z.string(), description: z.string(), required: z.boolean() })),
  outputs: z.array(z.string()),
});
export type WorkflowActivity = z.infer<typeof WorkflowActivitySchema>;

/** A journaled workflow run as the step graph shows it: its steps in document order, and its fan-out children. */
export const WorkflowRunViewSchema = z.object({
  id: z.string(),
  collection: z.string(),
  task: z.string(),
  status: TrajectoryStatusSchema,
  error: z.string().nullable(),
  parent: z.object({ id: z.string(), step: z.string(), index: z.number().int() }).nullable(),
  steps: z.array(
    z.object({
      name: z.string(),
      activity: z.string(),
      /** `pending` until the step starts; a branch not taken is `cancelled` with `skipped`. */
      status: TrajectoryStatusSchema,
      skipped: z.boolean(),
      /** The attempt that produced this state (0: not started). */
      attempt: z.number().int(),
      error: z.string().nullable(),
      started_at: z.string().nullable(),
      ended_at: z.string().nullable(),
      inputs: z.record(z.string(), z.unknown()),
      outputs: z.record(z.string(), z.unknown()),
      /** Each failed attempt that was retried: its error and the delay before the next. */
      retries: z.array(z.object({ attempt: z.number().int(), error: z.string(), delay_ms: z.number().nullable() })),
    }),
  ),
  children: z.array(z.object({ id: z.string(), step: z.string(), index: z.number().int(), status: TrajectoryStatusSchema })),
});
export type WorkflowRunView = z.infer<typeof WorkflowRunViewSchema>;

export const WorkflowProgressSchema = z.object({
  workflowId: z.string(),
  step: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'retrying', 'skipped', 'cancelled']),
  attempt: z.number().int(),
  error: z.string().optional(),
  delayMs: z.number().optional(),
});

export const methods = {
  'app.info': method(
    z.object({}),
    z.object({ version: z.string(), dataDir: z.string() }),
  ),
  'workspace.current': method(z.object({}), z.array(WorkspaceSchema)),
  'workspace.open': method(z.object({ folder: NonEmptyPath }), WorkspaceSchema),
  'runbook.read': method(z.object({ path: NonEmptyPath }), z.object({ path: z.string(), text: z.string() })),
  'runbook.lint': method(
    z.object({ path: NonEmptyPath, text: z.string().max(16 * 1024 * 1024).optional() }),
    RunbookAnalysisSchema,
  ),
  /** Runbooks of the open folders whose text holds every word of `query` (any case), at most `limit`. */
  'runbook.search': method(z.object({ query: z.string().min(1).max(256), limit: z.number().int().min(1).max(2000).default(500) }), z.object({ paths: z.array(z.string()) })),
  /** Every diagnostic of every runbook and workflow file of an open folder (the Problems view). */
  'lint.problems': method(z.object({ folder: NonEmptyPath }), FolderProblemsSchema),
  /** Applies the quick fix of every `code` diagnostic in the folder's runbooks (not those in `skip`: unsaved in an editor); returns what it changed. */
  'lint.fixAll': method(
    z.object({ folder: NonEmptyPath, code: z.string().regex(/^RB\d{3}$/), skip: z.array(NonEmptyPath).max(1000).default([]) }),
    z.object({ fixed: z.number().int(), files: z.array(z.string()) }),
  ),
  /**
   * Silences a rule: for one runbook (its frontmatter's `lint_ignore`) or for a folder (its
   * `.jettylintrc.json`). With `text` (the editor's buffer) and scope `runbook`, nothing is
   * written: the edit comes back to apply. Returns the file written, or the edit.
   */
  'lint.ignore': method(
    z.object({ path: NonEmptyPath, code: z.string().regex(/^RB\d{3}$/), scope: LintIgnoreScopeSchema, text: z.string().max(16 * 1024 * 1024).optional() }),
    z.object({ file: z.string().nullable(), fix: QuickFixSchema.nullable() }),
  ),
  /** Writes a runbook inside an open folder atomically; returns the saved text's analysis. */
  'runbook.save': method(
    z.object({ path: NonEmptyPath, text: z.string().max(16 * 1024 * 1024, 'runbook text is larger than 16 MiB') }),
    RunbookAnalysisSchema,
  ),

  /** Creates `<folder>/<collection>/<name>/RUNBOOK.md` from a bundled template in an open folder; refuses existing files. */
  'runbook.create': method(
    z.object({
      folder: NonEmptyPath,
      collection: NameSchema,
      name: NameSchema,
      template: z.enum(['programmatic', 'rubric']),
    }),
    z.object({ path: z.string() }),
  ),

  /** Starts a local run; secrets declared by the runbook come from the secret store. */
  'run.start': method(
    z.object({
      runbookPath: NonEmptyPath,
      params: z.record(z.string(), z.string()).default({}),
      /** Host paths (the desktop app only; `~` is the home folder); a browser uploads and passes `uploads`. */
      files: z.array(NonEmptyPath).max(100).default([]),
      /** Ids from `POST /api/v1/uploads`, `upload.example` or `run.inputs`. */
      uploads: z.array(UploadIdSchema).max(100).default([]),
      /** The trajectory this run re-runs (its replay links to the new run, and back). */
      rerunOf: TrajectoryId.optional(),
      agent: z.string().max(64).optional(),
      model: z.string().max(256).optional(),
      timeoutSeconds: z.number().int().positive().max(86_400).optional(),
      /** Start despite lint errors (recorded in the trajectory). */
      runAnyway: z.boolean().optional(),
      /** This run's sandbox image, over its collection's, Settings' and the runbook's. */
      image: ImageNameSchema.optional(),
      /** Declared secrets' values the caller gives (as `jetty run --secret` and REST secret_params); the others come from the collection environment, then the store. */
      secrets: z.record(SecretName, z.string().min(1).max(64 * 1024)).optional(),
    }),
    z.object({ trajectoryId: z.string() }),
  ),
  /** A run's runbook and input files, kept for Re-run (runbookPath null when it is not known or no longer open). */
  'run.inputs': method(z.object({ trajectoryId: TrajectoryId }), RunInputsSchema),
  /** One of a run's kept input files (from `run.inputs`), its first 5 MiB, as `trajectory.artifact` gives a result file. */
  'run.inputFile': method(z.object({ trajectoryId: TrajectoryId, uploadId: UploadIdSchema }), FilePreviewSchema),
  /** Copies one of the manifest's example inputs (files beside the runbook) into uploads. */
  'upload.example': method(z.object({ runbookPath: NonEmptyPath, exampleId: z.string().min(1).max(200) }), z.object({ files: z.array(UploadInfoSchema) })),
  'run.cancel': method(z.object({ trajectoryId: TrajectoryId }), z.object({ cancelled: z.boolean() })),
  'trajectory.list': method(
    z.object({
      collection: z.string().max(256).optional(),
      task: z.string().max(256).optional(),
      kind: TrajectoryKindSchema.optional(),
      status: TrajectoryStatusSchema.optional(),
      label: z.string().max(512).optional(),
      search: z.string().max(512).optional(),
      /** The evaluation's verdict, whatever the status. */
      evaluation: EvaluationVerdictSchema.optional(),
      sort: TrajectorySortSchema.optional(),
      /** Words found anywhere in a trajectory (events, tool calls and outputs, model prompts and completions, result files) or in its header. */
      text: z.string().max(512).optional(),
      agent: z.string().max(64).optional(),
      model: z.string().max(256).optional(),
      /** Created at or after / before (ISO dates or times). */
      since: z.string().max(64).optional(),
      until: z.string().max(64).optional(),
      /** Leave out trajectories nested under another (a workflow's model calls and child runs); `children` counts them. */
      topLevel: z.boolean().optional(),
      /** A column to sort by, over `sort`. */
      orderBy: TrajectoryOrderSchema.optional(),
      direction: SortDirectionSchema.optional(),
      limit: z.number().int().min(1).max(200).default(50),
      page: z.number().int().min(1).default(1),
    }),
    TrajectoryPageSchema,
  ),
  'trajectory.get': method(z.object({ id: TrajectoryId }), TrajectorySchema),
  /** The runs nested under a trajectory (a workflow's model calls, fan-out children, run_runbook runs), oldest first. */
  'trajectory.children': method(z.object({ id: TrajectoryId, limit: z.number().int().min(1).max(500).default(200) }), TrajectoryChildrenSchema),
  /** What a trajectory is nested under, the run it re-ran and its re-runs, where it came from. */
  'trajectory.relations': method(z.object({ id: TrajectoryId }), TrajectoryRelationsSchema),
  /** The agents, models and label keys the stored trajectories have (the list's filter choices). */
  'trajectory.facets': method(z.object({}), TrajectoryFacetsSchema),
  /** Events in sequence order after `afterSeq`, at most `limit`. */
  'trajectory.events': method(
    z.object({ id: TrajectoryId, afterSeq: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(1000) }),
    z.object({ events: z.array(TrajectoryEventSchema), total: z.number().int() }),
  ),
  /** One model call's prompt (declared tools apart) and completion, in full, by its `model_call` event's seq. */
  'trajectory.modelCall': method(z.object({ id: TrajectoryId, seq: z.number().int().min(1) }), ModelCallConversationSchema),
  /** The runbook as the run's agent received it (rendered, redacted); null when none was kept. */
  'trajectory.renderedRunbook': method(z.object({ id: TrajectoryId }), z.object({ text: z.string().nullable() })),
  'trajectory.export': method(z.object({ id: TrajectoryId }), TrajectoryExportSchema),
  /** The trajectory as an ATIF v1.7 document (Harbor's format), its images inline as `data:` URLs. */
  'trajectory.exportAtif': method(z.object({ id: TrajectoryId }), z.object({ document: z.record(z.string(), z.unknown()) })),
  /** Imports an export document (or a cloud `trajectory.json` run summary, or an ATIF trajectory); returns the new id. */
  'trajectory.import': method(z.object({ document: z.unknown() }), z.object({ id: z.string() })),
  'trajectory.artifact': method(z.object({ id: TrajectoryId, path: z.string().min(1).max(4096) }), FilePreviewSchema),
  'label.add': method(z.object({ id: TrajectoryId, label: LabelSchema.omit({ created_at: true }) }), TrajectorySchema),
  'label.remove': method(z.object({ id: TrajectoryId, key: z.string().min(1), value: z.string().optional() }), TrajectorySchema),
  /** Which secrets have a stored value, and where values are kept. */
  'secrets.status': method(
    z.object({ names: z.array(SecretName).max(200) }),
    z.object({ storage: z.enum(['keychain', 'encrypted-file']), secrets: z.array(z.object({ name: z.string(), configured: z.boolean() })) }),
  ),
  'secrets.set': method(z.object({ name: SecretName, value: z.string().min(1).max(64 * 1024) }), z.object({ name: z.string(), configured: z.boolean() })),
  'secrets.clear': method(z.object({ name: SecretName }), z.object({ name: z.string(), configured: z.boolean() })),
  'settings.get': method(z.object({}), SettingsSchema),
  'settings.update': method(SettingsSchema.partial(), SettingsSchema),
  'docker.status': method(
    z.object({}),
    z.object({
      available: z.boolean(),
      version: z.string().optional(),
      error: z.string().optional(),
      fix: z.string().optional(),
      host: z.string().optional(),
      /** The warm pool (null: none, as in a one-shot `jetty run`): its size and what it has parked now. */
      pool: WarmPoolStatusSchema.nullable().optional(),
    }),
  ),
  /** Where the local Jetty API listens and its token (null until the server is up). */
  'localApi.info': method(z.object({}), z.object({ baseUrl: z.string(), token: z.string() }).nullable()),
  /** The passthrough recording's counts and whether the disk is full (also `recording.changed`). */
  'recording.status': method(z.object({}), RecordingStatusSchema),
  /** The OpenTelemetry export (Settings' otlpEndpoint): its collector and the spans sent, queued and dropped; null when none is set. */
  'telemetry.status': method(
    z.object({}),
    z.object({ endpoint: z.string(), queued: z.number(), sending: z.number(), sent: z.number(), dropped: z.number(), failedRequests: z.number(), lastError: z.string().nullable() }).nullable(),
  ),
  /** What a run of this runbook would use now (agent, model, endpoint, image), beside the runbook's choices. */
  'run.plan': method(
    z.object({ runbookPath: NonEmptyPath, agent: z.string().max(64).optional(), model: z.string().max(256).optional(), image: ImageNameSchema.optional() }),
    RunPlanSchema,
  ),
  /** The images Docker has locally (repo:tag, newest first, at most `limit`): the choices for a run's image. */
  'sandbox.images': method(
    z.object({ limit: z.number().int().min(1).max(200).default(50) }),
    z.object({ images: z.array(z.object({ name: z.string(), created: z.string() })) }),
  ),
  /** Where the provider keys come from (the app's store or the environment) and the active overrides. */
  'settings.environment': method(
    z.object({}),
    z.object({
      keys: z.array(z.object({ name: z.string(), source: z.enum(['stored', 'environment', 'none']) })),
      overrides: z.array(z.object({ name: z.string(), value: z.string() })),
    }),
  ),

  /** The provider catalog as configured now: each prefix's base URL, where its key comes from, its wire API, and whether it is supported. */
  'providers.catalog': method(
    z.object({}),
    z.object({
      providers: z.array(
        z.object({
          prefix: z.string(),
          label: z.string(),
          baseUrl: z.string(),
          defaultBaseUrl: z.string(),
          baseUrlVariable: z.string(),
          keyVariable: z.string().nullable(),
          keySource: z.enum(['stored', 'environment', 'none', 'not-needed']),
          wire: z.string(),
          local: z.string().nullable(),
          unsupported: z.string().nullable(),
        }),
      ),
    }),
  ),
  /** Asks an endpoint for its model list: "connected, 12 models", or why not. */
  'endpoints.test': method(
    ModelEndpointSchema.extend({ apiKey: z.string().max(64 * 1024).optional() }),
    z.object({ ok: z.boolean(), models: z.array(z.string()), message: z.string() }),
  ),
  /** Ollama, LM Studio, llama.cpp and vLLM at their configured (or default) addresses: reachable, their models with tools and context size. */
  'localServers.detect': method(
    z.object({}),
    z.object({
      servers: z.array(z.object({ kind: z.string(), prefix: z.string(), baseUrl: z.string(), reachable: z.boolean(), error: z.string().nullable(), models: z.array(LocalModelSchema) })),
    }),
  ),

  /** The JSON schema of workflow documents (from the step templates that execute) and the templates themselves. */
  'workflow.schema': method(z.object({}), z.object({ schema: z.record(z.string(), z.unknown()), activities: z.array(WorkflowActivitySchema) })),
  /** A workflow file's located diagnostics (WF0xx), for `text` when given (the editor's buffer). */
  'workflow.lint': method(
    z.object({ path: NonEmptyPath, text: z.string().max(16 * 1024 * 1024).optional() }),
    z.object({ diagnostics: z.array(DiagnosticSchema) }),
  ),
  /** Writes a workflow file inside an open folder atomically; returns the saved text's diagnostics. */
  'workflow.save': method(
    z.object({ path: NonEmptyPath, text: z.string().max(16 * 1024 * 1024, 'workflow text is larger than 16 MiB') }),
    z.object({ diagnostics: z.array(DiagnosticSchema) }),
  ),
  /** Starts the workflow of a file in an open folder (as REST /run does); init_params override the document's. */
  'workflow.start': method(
    z.object({ path: NonEmptyPath, init_params: z.record(z.string(), z.unknown()).default({}) }),
    z.object({ trajectoryId: z.string() }),
  ),
  'workflow.cancel': method(z.object({ trajectoryId: TrajectoryId }), z.object({ cancelled: z.boolean() })),
  /** A workflow run's steps (status, timing, attempts, inputs, outputs) and fan-out children. */
  'workflow.run': method(z.object({ id: TrajectoryId }), WorkflowRunViewSchema),
  ...cloudMethods,
  ...storageMethods,
  ...evaluationMethods,
  ...evaluationSuggestionMethods,
  ...routineMethods,
} as const;

export const RunEventSchema = z.object({ trajectoryId: z.string(), event: TrajectoryEventSchema });
export type RunEvent = z.infer<typeof RunEventSchema>;

export const events = {
  'workspace.changed': WorkspaceSchema,
  /** A RUNBOOK.md in an open folder changed on disk (an outside edit, or a save). */
  'runbook.changed': z.object({ path: z.string() }),
  /** An event of a live run, as stored (seq assigned, secrets redacted). */
  'run.event': RunEventSchema,
  /** A trajectory's header changed (status, evaluation, labels…). */
  'trajectory.changed': TrajectorySchema,
  /**
   * Whole trajectories were stored (recorded passthrough calls, imports): their ids, in one
   * event per turn of the engine's loop however many there are, without their contents.
   */
  'trajectories.added': z.object({ ids: z.array(z.string()) }),
  /** The passthrough recording's status changed (calls stored or failed, the disk full or not). */
  'recording.changed': RecordingStatusSchema,
  /** A workflow step started, ended, is retried or was skipped (fan-out children included). */
  'workflow.progress': WorkflowProgressSchema,
  ...cloudEvents,
  ...storageEvents,
  ...evaluationEvents,
  ...evaluationSuggestionEvents,
  ...routineEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<Methods[M]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

/** What an engine implements and what a client exposes: one async function per method. */
export type Api = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
