import type { TrajectoryLinkKind, TrajectoryPageExtrasSchema, TrajectoryRelations } from '../../../shared/trajectory-search';
import type { z } from 'zod';
import type {
  Artifact,
  Label,
  Step,
  Trajectory,
  TrajectoryEvent,
  TrajectoryExport,
  TrajectoryStatus,
} from '../../../shared/trajectory';
import { artifactsRepository } from './artifacts';
import { catalogRepository, type CollectionRecord, type NewCollection, type NewTask, type TaskPatch, type TaskRecord } from './catalog';
import { createChangeEmitter, type ChangeListener } from './changes';
import { conversationsRepository, type Conversations } from './conversations';
import { describeOpenError, openDatabase } from './connection';
import { type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';
import { createEventWriter, type EventWriter, type EventWriterOptions } from './event-writer';
import { eventsRepository, type EventPage } from './events';
import { labelsRepository } from './labels';
import { migrate } from './migrate';
import { passthroughRecords, passthroughResponseFinder, type ImportOnceOutcome } from './passthrough-records';
import { MIGRATIONS } from './migrations';
import { originsRepository, type Origins, type TrajectoryOrigin } from './origins';
import { outboxRepository, type Outbox } from './outbox';
import { queriesRepository, type Page, type TrajectoryQuery, type TrajectoryStats } from './query';
import { linksRepository } from './links';
import { searchIndexRepository } from './search-index';
import { searchHits } from './search-hits';
import { createSecretRegistry, type SharedSecrets } from './secrets';
import { stepsRepository } from './steps';
import { trajectoriesRepository, type NewTrajectory, type TaskScope, type TrajectoryHeader, type TrajectoryPatch } from './trajectories';
import { trajectoryTransfer, type ImportPiece } from './transfer';
import { TRAJECTORY_ID } from './ids';
import { workflowJournalRepository, type WorkflowJournal } from './workflow-journal';
import { uploadQueueRepository, type UploadQueue } from './upload-queue';
import { evaluationsRepository, type Evaluations } from './evaluations';
import { routinesRepository, type Routines } from './routines';
import { webhooksRepository, type Webhooks } from './webhooks';
import { suggestionsRepository, type Suggestions } from './suggestions';
import { otherWritersRepository, type OtherWriters } from './other-writers';

export { StoreError, type StoreErrorCode } from './errors';
export type { ImportOnceOutcome } from './passthrough-records';
export type { StoreChange, StoreTable, ChangeListener } from './changes';
export type { EventWriter, EventWriterOptions, NewEvent } from './event-writer';
export type { EventPage } from './events';
export type { Conversations } from './conversations';
export type { CallRefs, ConversationRowsText } from './conversation-chain';
export type { CollectionRecord, NewCollection, NewTask, TaskPatch, TaskRecord } from './catalog';
export type { Page, TrajectoryQuery, TrajectoryStats } from './query';
type TrajectoryPageExtras = z.infer<typeof TrajectoryPageExtrasSchema>;
export type { NewTrajectory, TaskScope, TrajectoryHeader, TrajectoryPatch } from './trajectories';
export { createRedactor, MIN_SECRET_LENGTH, type Redactor } from './redactor';
export { encodedForms, type EncodedForm } from './encoded-forms';
export { createFileRedactor, type RedactedFile } from './file-redaction';
export { processOwnerToken, isOwnerProcessAlive } from './owner';
export type { NewOutboxItem, Outbox, OutboxItem, OutboxKind } from './outbox';
export type { Origins, RemoteRef, TrajectoryOrigin } from './origins';
export type { ImportPiece } from './transfer';
export { watchOtherWriters, type OtherWriters, type OtherWrites } from './other-writers';
export type { JournalEvent, JournaledStep, NewWorkflowRun, StepEnd, WorkflowJournal, WorkflowRunRecord } from './workflow-journal';
export { childTrajectoryId } from './workflow-journal';
export type { EvaluationDefinition, EvaluationRecord, Evaluations, NewEvaluation, TaskRunRow, TrialEnd, TrialKey, TrialSlot } from './evaluations';
export type { NewRoutine, RoutineFiring, RoutinePatch, RoutineRecord, Routines } from './routines';
export type { RunWebhook, WebhookDelivery, Webhooks } from './webhooks';
export type { ProposedEdit, SuggestionRecord, Suggestions, SuggestionSetRecord, SuggestionState } from './suggestions';
export { uploadLocation, type QueuedUpload, type UploadKey, type UploadKind, type UploadQueue, type UploadRecord } from './upload-queue';

/**
 * The trajectory store: one SQLite file holding trajectories, their steps, events,
 * labels and artifacts. The only module that writes SQL. Synchronous (better-sqlite3);
 * mutations throw StoreError (`not_found`, `invalid_input`, …) on bad input.
 */
export interface Store {
  /** The database file. */
  readonly file: string;

  /**
   * Starts a trajectory under a fresh 8-hex-character id. `secrets` (name → value), if
   * given, are registered before anything is written, so even init params are redacted.
   */
  /** `id`: one the caller chose (a workflow step's run, journaled before it starts); default a fresh one. */
  createTrajectory(input: NewTrajectory & { secrets?: Record<string, string>; id?: string }): Trajectory;
  /** The trajectory with steps (object keyed by name), labels and artifacts; null if unknown. */
  getTrajectory(id: string): Trajectory | null;
  /** The header alone (one row: no steps, labels or artifacts); null if unknown. */
  getTrajectoryHeader(id: string): TrajectoryHeader | null;
  /**
   * A filtered page of trajectories, newest first, in the cloud's page shape; with the
   * origins of pulled ones, where a `text` search matched each, and with `topLevel` how many
   * runs nest under each.
   */
  listTrajectories(query?: TrajectoryQuery): Page<Trajectory> & TrajectoryPageExtras;
  /** Distinct agents, models and label keys (the list's filter choices). */
  trajectoryFacets(): { agents: string[]; models: string[]; labels: string[] };
  /** The runs nested under a trajectory (a workflow's model calls and child runs), oldest first, at most `limit`. */
  trajectoryChildren(id: string, limit: number): { children: { trajectory: Trajectory; kind: TrajectoryLinkKind; step: string | null }[]; total: number };
  /** What a trajectory is nested under, the run it re-ran and its re-runs, its origin, how many runs nest under it. */
  trajectoryRelations(id: string): TrajectoryRelations;
  /** Records that trajectory `id` is a re-run of `original`. */
  linkRerun(id: string, original: string): void;
  /** Indexes a result file's text for search (redacted here), replacing what its path had. */
  indexResultFile(id: string, path: string, text: string): void;
  /** Whether a result file's text is indexed. */
  isResultFileIndexed(id: string, path: string): boolean;
  /**
   * Indexes part of a trajectory stored before the search index existed (up to `maxEvents`
   * events, in one transaction); false once none is left. Call it in idle time.
   */
  indexSearchBacklog(maxEvents: number): boolean;
  /** Counts by status, mean duration, token and cost totals, pass counts. */
  stats(filter?: Pick<TrajectoryQuery, 'collection' | 'task'>): TrajectoryStats;

  /** Changes header fields (status, error, usage, evaluation, …); a status change stamps start/end times. */
  updateTrajectory(id: string, patch: TrajectoryPatch): TrajectoryHeader;
  /** Sets the status (and optionally the error) of one trajectory. */
  updateStatus(id: string, status: TrajectoryStatus, error?: string | null): TrajectoryHeader;
  /**
   * Sets many statuses in one transaction (the cloud's batch `{id: status}`), in time linear
   * in their number; unknown ids, and with `within` ids of other tasks, are reported as
   * missing, not fatal. Callers bound the batch (each id is a row update).
   */
  updateStatuses(statuses: Record<string, TrajectoryStatus>, within?: TaskScope): { updated: string[]; missing: string[] };
  /** Creates or merges into the named step of a trajectory. */
  updateStep(id: string, name: string, patch: Partial<Step>): Step;
  /** Adds a label; the same key and value again refreshes author and time. */
  addLabel(id: string, label: Label): Label;
  /** Removes a key's `value`, or all its values; returns how many labels went. */
  removeLabel(id: string, key: string, value?: string): number;
  /** Records an artifact, replacing an earlier record of the same path. */
  addArtifact(id: string, artifact: Artifact): Artifact;

  /**
   * The event writer of a trajectory: one per trajectory per store (a second call
   * returns the open one, ignoring `options`). Only one process may write a
   * trajectory's events: its owner.
   */
  eventWriter(id: string, options?: EventWriterOptions): EventWriter;
  /**
   * Commits the events this process has appended to the trajectory but not yet written
   * (nothing when no writer is open), so a reader that was sent them live sees no gap.
   */
  flushEvents(id: string): void;
  /** Committed events in sequence order, paged by `afterSeq` and `limit`. */
  listEvents(id: string, page?: EventPage): TrajectoryEvent[];
  /** How many events of the trajectory are committed. */
  countEvents(id: string): number;

  /**
   * Crash recovery at start-up: every pending or running trajectory whose owner is not
   * alive becomes failed with error 'interrupted' (its running steps fail too).
   * Returns their ids. Trajectories without an owner are left alone.
   */
  markInterrupted(isAlive: (owner: string) => boolean): string[];

  /** The trajectory and its committed events in the cloud's export shape (buffered events are flushed first). */
  exportTrajectory(id: string): TrajectoryExport;
  /** Validates (naming the bad field) and stores an export; keeps its id when free, else assigns one. Returns the id. */
  importTrajectory(doc: unknown): string;

  // --- Added for the passthrough proxy (H6): finished calls are recorded in batches. ---
  /** A fresh trajectory id not used by any stored trajectory (to name a call before it is stored). */
  freshTrajectoryId(): string;
  /** Stores many exports in one transaction (see `importTrajectory`); returns their ids in order. */
  importTrajectories(docs: unknown[]): string[];
  /** Announces trajectories another connection imported (`onChange`, as `importTrajectories` would). */
  notifyImported(ids: readonly string[]): void;
  /**
   * Stores exports whose ids are not stored yet (recorded calls replayed from the journal
   * are stored once), each isolated from the others' failures; stops at a full disk.
   */
  importTrajectoriesOnce(docs: unknown[]): ImportOnceOutcome;
  /** The recorded request and response of the latest passthrough Responses call that answered `responseId`, or null. */
  findPassthroughResponse(responseId: string): { request: unknown; response: unknown } | null;

  // --- Added for the local Jetty API (H6): collections and tasks created over REST. ---
  /** Collections created here, by name (folders' collections are not stored). */
  listCollections(): CollectionRecord[];
  /** Creates a collection; invalid_input if the name is taken or malformed. */
  createCollection(input: NewCollection): CollectionRecord;
  listTasks(collection: string): TaskRecord[];
  getTask(collection: string, name: string): TaskRecord | null;
  /** Creates a task; invalid_input if the name is taken or malformed. */
  createTask(collection: string, input: NewTask): TaskRecord;
  /** Replaces the given fields of a task; not_found if it does not exist. */
  updateTask(collection: string, name: string, patch: TaskPatch): TaskRecord;
  /** Deletes a task; false if there was none. */
  deleteTask(collection: string, name: string): boolean;

  /**
   * Registers secret values (name → value) of a trajectory, in memory only: every string
   * written for it from now on has them replaced by `[REDACTED:NAME]`. Returns the names
   * of values too short to redact (see MIN_SECRET_LENGTH).
   */
  registerSecrets(id: string, secrets: Record<string, string>): readonly string[];
  /** Drops a trajectory's registered secrets (e.g. when its run ends). */
  forgetSecrets(id: string): void;
  /**
   * Sets the secrets every record is redacted of, whatever its trajectory and front door
   * (the vault's, the collections' environments', the provider keys), in memory only.
   */
  setSharedSecrets(secrets: Record<string, string>): void;
  /** The shared secrets, for another connection to the same file (the recording thread's), with a version that grows with each change. */
  sharedSecrets(): SharedSecrets;

  /** The durable workflow journal (workflow runs and their steps; see workflow-journal.ts). */
  workflowJournal(): WorkflowJournal;
  /** Collections' storage settings and the durable artifact upload queue (see upload-queue.ts). */
  uploadQueue(): UploadQueue;

  // --- Added for the cloud (issue 13): the outbox and the origins of pulled trajectories. ---
  /** The cloud outbox: deploys, remote runs and labels waiting for the remote (see outbox.ts). */
  outbox(): Outbox;
  /** Where pulled trajectories came from (see origins.ts). */
  origins(): Origins;
  /** Runs' conversations with their models and the rendered runbooks their agents got (see conversations.ts). */
  conversations(): Conversations;
  /** Evaluations, their plans and trials (see evaluations.ts). */
  evaluations(): Evaluations;
  /** "Suggest fixes" sets of evaluations and their suggestions (see suggestions.ts). */
  suggestions(): Suggestions;
  /** Stores pulled exports with their origins, all in one transaction (see `importTrajectory`); returns their ids. */
  importPulled(items: { doc: unknown; origin: Omit<TrajectoryOrigin, 'trajectory_id' | 'pulled_at'> }[]): string[];
  /**
   * Adds a piece to a trajectory imported in pieces (see `ImportPiece`) in one transaction,
   * with its origin when it is a pulled one: so the origin's last event always names what
   * is stored, and a pull stopped anywhere resumes from there. Returns the events stored.
   */
  /** The id an import of `id` is stored under: `id` itself when it is a valid id not stored yet, else a fresh one. */
  trajectoryIdFor(id: string): string;
  continueImport(id: string, piece: ImportPiece, origin?: Omit<TrajectoryOrigin, 'trajectory_id' | 'pulled_at'>): number;

  /** Routines (scheduled runs) and their firings (see routines.ts). */
  routines(): Routines;
  /** Runs' webhooks and the durable queue of their deliveries (see webhooks.ts). */
  webhooks(): Webhooks;

  /** Calls `listener` after each commit with the table and trajectory it touched. Returns an unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  /** What other processes' commits to this file changed (see other-writers.ts; `onChange` hears this connection's only). */
  otherWriters(): OtherWriters;
  /** Moves the WAL into the main file and truncates it (e.g. before copying the file). */
  checkpoint(): void;
  /**
   * Flushes and closes every event writer, then the database, even if a flush fails
   * (that error is rethrown once the database is closed). Idempotent.
   */
  close(): void;
}

/** Opens (creating and migrating if needed) the store in `file`, e.g. `<dataDir>/jetty.db`. */
export function openStore(file: string): Store {
  const db = openDatabase(file);
  try {
    migrate(db, MIGRATIONS, file);
  } catch (error) {
    db.close();
    throw describeOpenError(error, file);
  }
  const changes = createChangeEmitter();
  const secrets = createSecretRegistry();
  const ctx: StoreContext = { db, changes, redactorFor: secrets.redactorFor, restoreShared: secrets.restoreShared };
  const trajectories = trajectoriesRepository(ctx);
  const steps = stepsRepository(ctx);
  const labels = labelsRepository(ctx);
  const artifacts = artifactsRepository(ctx);
  const search = searchIndexRepository(ctx);
  const events = eventsRepository(ctx, search);
  const conversations = conversationsRepository(ctx, search);
  const queries = queriesRepository(ctx, search);
  const links = linksRepository(ctx);
  const catalog = catalogRepository(ctx);
  const transfer = trajectoryTransfer(ctx, { trajectories, steps, labels, artifacts, events, conversations });
  const importOnce = passthroughRecords(ctx, { trajectories, importInTransaction: transfer.importInTransaction });
  const findResponse = passthroughResponseFinder(ctx);
  const journal = workflowJournalRepository(ctx, { trajectories, events });
  const uploads = uploadQueueRepository(ctx);
  const outbox = outboxRepository(ctx);
  const originRecords = originsRepository(ctx);
  const evaluations = evaluationsRepository(ctx);
  const routines = routinesRepository(ctx);
  const webhooks = webhooksRepository(ctx);
  const suggestions = suggestionsRepository(ctx);
  const otherWriters = otherWritersRepository(ctx);
  const importPulled = writeTransaction(db, (items: Parameters<Store['importPulled']>[0]): string[] =>
    items.map(({ doc, origin }) => {
      const id = transfer.importInTransaction(doc);
      originRecords.put({ ...origin, trajectory_id: id });
      return id;
    }),
  );
  const continueImport = writeTransaction(db, (id: string, piece: ImportPiece, origin?: Omit<TrajectoryOrigin, 'trajectory_id' | 'pulled_at'>): number => {
    const stored = transfer.continueInTransaction(id, piece);
    if (origin) originRecords.put({ ...origin, trajectory_id: id });
    return stored;
  });
  const writers = new Map<string, EventWriter>();
  let closed = false;

  const changed = (trajectoryId: string, ...tables: Parameters<ChangeListener>[0]['table'][]): void => {
    for (const table of tables) changes.emit({ table, trajectoryId });
  };

  const withParts = (header: TrajectoryHeader): Trajectory => ({
    ...header,
    steps: steps.all(header.id),
    labels: labels.all(header.id),
    artifacts: artifacts.all(header.id),
  });

  const existing = <T>(id: string, write: () => T): T => {
    trajectories.require(id);
    return write();
  };

  const markInterrupted = writeTransaction(db, (isAlive: (owner: string) => boolean): string[] => {
    const ids: string[] = [];
    for (const { id, owner } of trajectories.live()) {
      if (isAlive(owner)) continue;
      trajectories.update(id, { status: 'failed', error: 'interrupted' });
      steps.failRunning(id);
      ids.push(id);
    }
    return ids;
  });

  const updateStatuses = writeTransaction(db, (statuses: Record<string, TrajectoryStatus>, within?: TaskScope) => {
    const result = { updated: [] as string[], missing: [] as string[] };
    const entries = Object.entries(statuses);
    const known = trajectories.existing(entries.map(([id]) => id), within);
    for (const [id, status] of entries) {
      if (!known.has(id)) result.missing.push(id);
      else result.updated.push(trajectories.update(id, { status }).id);
    }
    return result;
  });


  const store: Store = {
    file,
    createTrajectory({ secrets: values, id: chosen, ...input }) {
      const id = chosen ?? trajectories.freshId();
      if (values) secrets.register(id, values);
      const header = trajectories.create(id, input);
      changed(id, 'trajectories');
      return { ...header, steps: {}, labels: [], artifacts: [] };
    },
    getTrajectory(id) {
      const header = trajectories.get(id);
      return header ? withParts(header) : null;
    },
    getTrajectoryHeader: (id) => trajectories.get(id),
    listTrajectories(query = {}) {
      const { terms, ...page } = queries.list(query);
      const ids = page.trajectories.map((t) => t.id);
      const origins = originRecords.ofTrajectories(ids);
      return {
        ...page,
        trajectories: page.trajectories.map(withParts),
        ...(terms.length ? { hits: searchHits({ search, events, conversations }, ids, terms, query.text!, query.topLevel === true) } : {}),
        ...(query.topLevel ? { children: links.childCounts(ids) } : {}),
        ...(origins.length ? { origins: Object.fromEntries(origins.map(({ trajectory_id, base_url, collection, task, remote_id }) => [trajectory_id, { base_url, collection, task, remote_id }])) } : {}),
      };
    },
    trajectoryFacets: () => queries.facets(),
    trajectoryChildren(id, limit) {
      const { children, total } = existing(id, () => links.children(id, limit));
      return { children: children.map(({ header, kind, step }) => ({ trajectory: withParts(header), kind, step })), total };
    },
    trajectoryRelations(id) {
      const origin = existing(id, () => originRecords.ofTrajectory(id));
      return {
        ...links.relations(id),
        origin: origin && { base_url: origin.base_url, collection: origin.collection, task: origin.task, remote_id: origin.remote_id },
        evaluation: evaluations.trialOf(id)?.evaluation_id ?? null,
      };
    },
    linkRerun: (id, original) => existing(id, () => links.linkRerun(id, original)),
    indexResultFile: (id, path, text) => existing(id, () => search.indexFile(id, path, text)),
    isResultFileIndexed: (id, path) => search.hasFile(id, path),
    indexSearchBacklog: (maxEvents) => search.indexBacklogStep(maxEvents),
    stats: (filter = {}) => queries.stats(filter),
    updateTrajectory(id, patch) {
      const header = trajectories.update(id, patch);
      changed(id, 'trajectories');
      return header;
    },
    updateStatus: (id, status, error) => store.updateTrajectory(id, error === undefined ? { status } : { status, error }),
    updateStatuses(statuses, within) {
      const result = updateStatuses(statuses, within);
      for (const id of result.updated) changed(id, 'trajectories');
      return result;
    },
    updateStep(id, name, patch) {
      const step = existing(id, () => steps.update(id, name, patch));
      changed(id, 'steps');
      return step;
    },
    addLabel(id, label) {
      const added = existing(id, () => labels.add(id, label));
      changed(id, 'labels');
      return added;
    },
    removeLabel(id, key, value) {
      const removed = existing(id, () => labels.remove(id, key, value));
      if (removed > 0) changed(id, 'labels');
      return removed;
    },
    addArtifact(id, artifact) {
      const added = existing(id, () => artifacts.add(id, artifact));
      changed(id, 'artifacts');
      return added;
    },
    eventWriter(id, options = {}) {
      const open = writers.get(id);
      if (open) return open;
      const writer = existing(id, () =>
        createEventWriter(ctx, events, id, { ...options, onClose: () => writers.delete(id) }),
      );
      writers.set(id, writer);
      return writer;
    },
    flushEvents: (id) => writers.get(id)?.flush(),
    listEvents: (id, page) => existing(id, () => events.page(id, page)),
    countEvents: (id) => existing(id, () => events.count(id)),
    markInterrupted(isAlive) {
      const ids = markInterrupted(isAlive);
      for (const id of ids) changed(id, 'trajectories', 'steps');
      return ids;
    },
    exportTrajectory(id) {
      writers.get(id)?.flush();
      return transfer.export(id);
    },
    importTrajectory(doc) {
      const id = transfer.import(doc);
      store.notifyImported([id]);
      return id;
    },
    freshTrajectoryId: () => trajectories.freshId(),
    listCollections: () => catalog.listCollections(),
    createCollection: (input) => catalog.createCollection(input),
    listTasks: (collection) => catalog.listTasks(collection),
    getTask: (collection, name) => catalog.getTask(collection, name),
    createTask: (collection, input) => catalog.createTask(collection, input),
    updateTask: (collection, name, patch) => catalog.updateTask(collection, name, patch),
    deleteTask: (collection, name) => catalog.deleteTask(collection, name),
    importTrajectories(docs) {
      const ids = transfer.importMany(docs);
      store.notifyImported(ids);
      return ids;
    },
    importTrajectoriesOnce(docs) {
      const outcome = importOnce(docs);
      store.notifyImported(outcome.ids);
      return outcome;
    },
    findPassthroughResponse: (responseId) => findResponse(responseId),
    notifyImported(ids) {
      for (const id of ids) changes.emit({ table: 'trajectories', trajectoryId: id, imported: true });
    },
    registerSecrets: (id, values) => secrets.register(id, values).ignored,
    forgetSecrets: (id) => secrets.forget(id),
    setSharedSecrets: (values) => secrets.setShared(values),
    sharedSecrets: () => secrets.shared(),
    workflowJournal: () => journal,
    uploadQueue: () => uploads,
    outbox: () => outbox,
    origins: () => originRecords,
    routines: () => routines,
    webhooks: () => webhooks,
    conversations: () => conversations,
    evaluations: () => evaluations,
    suggestions: () => suggestions,
    importPulled(items) {
      const ids = importPulled(items);
      store.notifyImported(ids);
      return ids;
    },
    trajectoryIdFor: (id) => (TRAJECTORY_ID.test(id) && !trajectories.exists(id) ? id : trajectories.freshId()),
    continueImport(id, piece, origin) {
      const stored = continueImport(id, piece, origin);
      changed(id, 'events', ...(piece.header ? (['trajectories'] as const) : []), ...(piece.steps ? (['steps'] as const) : []), ...(piece.artifacts?.length ? (['artifacts'] as const) : []));
      return stored;
    },
    onChange: (listener) => changes.subscribe(listener),
    otherWriters: () => otherWriters,
    checkpoint: () => void db.pragma('wal_checkpoint(TRUNCATE)'),
    close() {
      if (closed) return;
      closed = true;
      const failures: unknown[] = [];
      for (const writer of [...writers.values()]) {
        try {
          writer.close();
        } catch (error) {
          failures.push(error);
        }
      }
      db.close();
      if (failures.length) throw failures[0];
    },
  };
  return guardClosed(store, () => closed);
}

/** Makes every method but `close` throw a clear error once the store is closed. */
function guardClosed(store: Store, isClosed: () => boolean): Store {
  const guarded = { ...store };
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function' || name === 'close') continue;
    (guarded as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (isClosed()) throw new StoreError('closed', `The store ${store.file} is closed; open it again to use it.`);
      return (value as (...a: unknown[]) => unknown)(...args);
    };
  }
  return guarded;
}
