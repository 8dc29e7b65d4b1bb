import { z } from 'zod';
import { ImageNameSchema } from './images';
import { CollectionPathSchema, NameSchema } from './names';
import { RunPlanChoiceSchema } from './run-plan';
import { UploadIdSchema } from './uploads';

/**
 * The cloud's part of the API contract (spread into `methods` and `events` in
 * contract.ts): a remote Jetty (the cloud or another `jetty serve`): connection, browse,
 * deploy with secret preflight, remote runs, pull, and the outbox.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

const Path = z.string().min(1).max(4096);
const Names = z.array(z.string().max(128)).max(200);
/** Host paths: taken only from the desktop app; a browser uploads (`POST /api/v1/uploads`) and passes `uploads`. */
const HostFiles = z.array(Path).max(100).default([]);
/** Ids from `POST /api/v1/uploads`. */
const Uploads = z.array(UploadIdSchema).max(100).default([]);
const RemoteObject = z.record(z.string(), z.unknown());

export const CloudStatusSchema = z.object({
  baseUrl: z.string(),
  /** signed_out, unknown (not checked yet), online, offline, rejected (401), forbidden (403). */
  state: z.enum(['signed_out', 'unknown', 'online', 'offline', 'rejected', 'forbidden']),
  /** Redacted (`mlc_ab…yz`), never whole. */
  token: z.string().nullable(),
  /** file: ~/.config/jetty/token; env: JETTY_CLOUD_TOKEN. */
  tokenSource: z.enum(['env', 'file']).nullable(),
  message: z.string().nullable(),
});
export type CloudStatus = z.infer<typeof CloudStatusSchema>;

export const OutboxItemSchema = z.object({
  seq: z.number().int(),
  kind: z.enum(['deploy', 'run', 'label']),
  base_url: z.string(),
  summary: z.string(),
  state: z.enum(['pending', 'failed']),
  attempts: z.number().int(),
  /** Why it is still here: the remote's message or the connection problem. */
  last_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CloudOutboxItem = z.infer<typeof OutboxItemSchema>;

const queued = z.object({ status: z.literal('queued'), seq: z.number().int(), reason: z.string() });
const submitted = <S extends z.ZodType>(result: S) => z.union([z.object({ status: z.literal('delivered'), result }), queued]);

/** The runbook's folder in a deploy: how many files and bytes, whether the remote took it, and the files it could not take. */
export const DeployedFolderSchema = z.object({
  files: z.number().int(),
  bytes: z.number().int(),
  sent: z.boolean(),
  /** The folder's files the remote did not get (Jetty cloud takes RUNBOOK.md alone), and why. */
  leftOut: z.array(z.string()),
  note: z.string().nullable(),
});

export const DeployResultSchema = z.object({
  collection: z.string(),
  task: z.string(),
  collectionCreated: z.boolean(),
  taskCreated: z.boolean(),
  secretsSet: z.array(z.string()),
  uploaded: z.array(z.string()),
  /** Null for a workflow. */
  folder: DeployedFolderSchema.nullable(),
  links: z.object({ collection: z.string().nullable(), task: z.string().nullable() }),
});

/**
 * What a remote run of a runbook will use, as this machine's run plan decides it (the same
 * `resolveRunPlan` a local run uses), and what the remote can honour of it: the agent (one
 * the remote does not offer is a problem), the model, the image, the parameters as sent,
 * the input files, the runbook's folder. `problems` refuse the run before anything is
 * sent; `warnings` say what the remote will do differently, before it starts.
 */
export const RemotePlanSchema = z.object({
  remote: z.object({
    baseUrl: z.string(),
    /** The agents the remote offers; null while it cannot be reached (checked at delivery). */
    agents: z.array(z.string()).nullable(),
    /** `advertised` by the remote, or Jetty cloud's `documented` API; null while unreachable. */
    capabilities: z.enum(['advertised', 'documented']).nullable(),
  }),
  agent: RunPlanChoiceSchema,
  model: RunPlanChoiceSchema,
  image: RunPlanChoiceSchema,
  parameters: z.record(z.string(), z.string()),
  /** The input files' names: each is /app/assets/<name> in the remote sandbox. */
  files: z.array(z.string()),
  /** The runbook's folder (its files and bytes), and whether it goes with the run (null: not known until delivery). */
  folder: z.object({ files: z.number().int(), bytes: z.number().int(), sent: z.boolean().nullable() }),
  warnings: z.array(z.string()),
  problems: z.array(z.string()),
});
export type RemotePlan = z.infer<typeof RemotePlanSchema>;

/** An outbox item delivered after it was queued: what came of it (shown until the app restarts). */
export const OutboxDeliverySchema = z.object({
  seq: z.number().int(),
  kind: z.enum(['deploy', 'run', 'label']),
  summary: z.string(),
  delivered_at: z.string(),
  /** "deployed demo/x (task created, 4 files)", "remote run 1a2b3c4d started". */
  outcome: z.string(),
});
export type CloudOutboxDelivery = z.infer<typeof OutboxDeliverySchema>;

export const RemoteRunStartedSchema = z.object({
  /** The local trajectory that mirrors the remote run: follow it with `run.event` like a local one. */
  localId: z.string(),
  remoteId: z.string(),
  /** "Trial run U/L — M minutes remaining" and the warning at 2 or fewer runs. */
  trial: z.array(z.string()),
  link: z.string().nullable(),
});

export const PreflightSchema = z.object({
  collection: z.string(),
  collectionExists: z.boolean(),
  required: z.array(z.string()),
  configured: z.array(z.string()),
  missing: z.array(z.string()),
  /** Missing ones the local secret store has a value for (deploy can set them). */
  inVault: z.array(z.string()),
});

export const OriginSchema = z.object({
  trajectory_id: z.string(),
  base_url: z.string(),
  collection: z.string(),
  task: z.string(),
  remote_id: z.string(),
  remote_status: z.string(),
  last_event_seq: z.number().int(),
  pulled_at: z.string(),
});

export const AuditHitSchema = z.object({
  /** `runbook RUNBOOK.md`, `parameter name`, `file data.csv`: the name `allowSecrets` takes. */
  item: z.string(),
  line: z.number().int(),
  /** The secret's name or the key shape; never its value. */
  secret: z.string(),
  encoding: z.string(),
});
export type CloudAuditHit = z.infer<typeof AuditHitSchema>;

/** A remote run's order: the runbook, where it is filed, and what the run panel chose (else the runbook's and Settings' choices). */
const RemoteRunInput = z.object({
  path: Path,
  collection: CollectionPathSchema,
  task: NameSchema.optional(),
  params: z.record(z.string(), z.string()).default({}),
  files: HostFiles,
  uploads: Uploads,
  agent: z.string().max(64).optional(),
  model: z.string().max(256).optional(),
  image: ImageNameSchema.optional(),
});

/** A remote object (collection, task, trajectory) with its web UI link (null off the cloud). */
const Linked = RemoteObject.and(z.object({ web_link: z.string().nullable() }));

export const cloudMethods = {
  'cloud.status': method(z.object({}), CloudStatusSchema),
  /**
   * Starts pointing the app at another remote: the confirm step of Settings → Cloud. Over
   * IPC (the desktop window) it answers the `confirmation` to send once the user said yes;
   * over the WebSocket it shows a one-time code where `codeShownIn` says (the terminal of
   * `jetty serve`), which the user types.
   */
  'cloud.proposeRemote': method(
    z.object({ baseUrl: z.string().url().max(2048) }),
    z.object({ baseUrl: z.string(), confirmation: z.string().nullable(), codeShownIn: z.string().nullable() }),
  ),
  /**
   * Saves the token (`~/.config/jetty/token`, 0700/0600) and optionally the base URL, then
   * checks it. A base URL other than the current one needs the `confirmation` of
   * `cloud.proposeRemote` (the code, over the WebSocket).
   */
  'cloud.signIn': method(
    z.object({ token: z.string().min(8).max(4096), baseUrl: z.string().url().max(2048).optional(), confirmation: z.string().max(200).optional() }),
    CloudStatusSchema,
  ),
  'cloud.signOut': method(z.object({}), CloudStatusSchema),
  'cloud.collections': method(z.object({}), z.array(Linked)),
  'cloud.tasks': method(z.object({ collection: NameSchema }), z.array(Linked)),
  /** A page of a task's trajectories; `local_id`: its copy in the local store (pulled or followed), if any. */
  'cloud.trajectories': method(
    z.object({ collection: NameSchema, task: NameSchema, page: z.number().int().min(1).default(1), limit: z.number().int().min(1).max(200).default(50) }),
    z.object({ trajectories: z.array(Linked.and(z.object({ local_id: z.string().nullable() }))), total: z.number(), page: z.number(), limit: z.number(), has_more: z.boolean() }),
  ),
  'cloud.stats': method(z.object({ collection: NameSchema, task: NameSchema }), RemoteObject),
  /** `lines`: "Trial run U/L — M minutes remaining", and the warning at 2 or fewer runs left. */
  'cloud.trial': method(z.object({ collection: NameSchema }), z.object({ active: z.boolean(), lines: z.array(z.string()) }).catchall(z.unknown())),
  /** What the pre-push secret audit would block in a deploy or remote run (file, line, secret name; never a value). */
  'cloud.audit': method(z.object({ path: Path, params: z.record(z.string(), z.string()).default({}), files: HostFiles, uploads: Uploads }), z.array(AuditHitSchema)),
  /** The runbook's required secrets and those the local secret store holds (no remote needed: an offline deploy's secrets are set at delivery). */
  'cloud.declaredSecrets': method(z.object({ path: Path }), z.object({ required: z.array(z.string()), inVault: z.array(z.string()) })),
  /** The runbook's declared secrets against the collection's environment keys (a nested collection's path is its name, see collectionNameOf). */
  'cloud.preflight': method(z.object({ path: Path, collection: CollectionPathSchema }), PreflightSchema),
  /**
   * Deploys a runbook (its whole folder) or workflow as a task; `collection` may be a nested
   * collection's path (`owner/sub`, deployed as `owner__sub`); `setSecrets`: missing secrets
   * to set from the local secret store, checked against the remote when it is delivered
   * (queued while the remote is unreachable).
   */
  'cloud.deploy': method(
    z.object({ path: Path, collection: CollectionPathSchema, task: NameSchema.optional(), files: HostFiles, uploads: Uploads, setSecrets: Names.default([]), allowSecrets: Names.default([]) }),
    submitted(DeployResultSchema),
  ),
  /** What a remote run of the runbook would use, and what the remote can honour of it (see RemotePlanSchema). */
  'cloud.runPlan': method(RemoteRunInput, RemotePlanSchema),
  /** Runs a runbook (or workflow task) on the remote as its plan says, followed live into the local store; refused when the plan has problems. */
  'cloud.run': method(RemoteRunInput.extend({ allowSecrets: Names.default([]) }), submitted(RemoteRunStartedSchema)),
  /** Imports a remote task's trajectories (incremental, idempotent, marked with their origin). */
  'cloud.pull': method(
    z.object({ collection: NameSchema, task: NameSchema, since: z.string().max(64).optional() }),
    z.object({
      added: z.array(z.string()),
      refreshed: z.array(z.string()),
      unchanged: z.number().int(),
      labelsAdded: z.number().int(),
      /** Trajectories not stored (a bad artifact, a shape that cannot be stored), each with why; pulling again tries them again. */
      failed: z.array(z.object({ remote_id: z.string(), error: z.string() })),
    }),
  ),
  /** Where a pulled trajectory came from; null for a local one. */
  'cloud.origin': method(z.object({ id: z.string().regex(/^[0-9a-f]{8}$/) }), OriginSchema.nullable()),
  'cloud.outbox': method(z.object({}), z.array(OutboxItemSchema)),
  'cloud.outbox.retry': method(z.object({ seq: z.number().int() }), z.object({ retried: z.boolean() })),
  'cloud.outbox.drop': method(z.object({ seq: z.number().int() }), z.object({ dropped: z.boolean() })),
  'cloud.outbox.flush': method(z.object({}), z.array(OutboxItemSchema)),
  /** Items delivered after they waited in the outbox, newest first, with what came of each. */
  'cloud.outbox.delivered': method(z.object({}), z.array(OutboxDeliverySchema)),
} as const;

export const cloudEvents = {
  /** The connection's state changed (signed in or out, online, offline, token rejected…). */
  'cloud.status.changed': CloudStatusSchema,
  /** The outbox changed (an item queued, delivered, failed, retried or dropped). */
  'cloud.outbox.changed': z.object({ items: z.array(OutboxItemSchema), delivered: z.array(OutboxDeliverySchema).default([]) }),
} as const;
