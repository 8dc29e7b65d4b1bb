import { z } from 'zod';
import { NameSchema } from '../../../shared/names';
import {
  ArtifactSchema,
  StepSchema,
  TRAJECTORY_FORMAT_VERSION,
  TrajectoryExportSchema,
  type Artifact,
  type Step,
  type TrajectoryExport,
} from '../../../shared/trajectory';
import { upgradeEvent } from '../../../shared/trajectory-event-upgrade';
import { StoredEventSchema, TrajectoryEventSchema, type StoredEvent } from '../../../shared/trajectory-events';
import type { ArtifactsRepository } from './artifacts';
import type { Conversations } from './conversations';
import { type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';
import type { EventRow, EventsRepository } from './events';
import { TRAJECTORY_ID } from './ids';
import type { LabelsRepository } from './labels';
import type { StepsRepository } from './steps';
import { TrajectoryPatchSchema, type TrajectoriesRepository, type TrajectoryPatch } from './trajectories';
import { parseOrThrow } from './validate';

interface Repositories {
  trajectories: TrajectoriesRepository;
  steps: StepsRepository;
  labels: LabelsRepository;
  artifacts: ArtifactsRepository;
  events: EventsRepository;
  conversations: Conversations;
}

/** Format 1's events are untyped (they are upgraded on import); from format 2 on, each must fit its type's schema. */
const FIRST_TYPED_FORMAT = 2;

/**
 * What is wrong with a run of events stored after `afterSeq`, each event checked once:
 * against its type's schema (from format 2 on), else as any stored event; sequence numbers
 * must be positive and strictly increasing.
 */
function eventIssues(events: readonly unknown[], typed: boolean, afterSeq = 0): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const schema = typed ? TrajectoryEventSchema : StoredEventSchema;
  let previous = afterSeq;
  events.forEach((event, index) => {
    const issue = schema.safeParse(event).error?.issues[0];
    if (issue) {
      const type = (event as { type?: unknown } | null)?.type;
      const prefix = typed && typeof type === 'string' && issue.path[0] === 'payload' ? `${type} event: ` : '';
      return void issues.push({ path: ['events', index, ...(issue.path as (string | number)[])], message: `${prefix}${issue.message}` });
    }
    const { seq } = event as StoredEvent;
    if (seq <= previous) issues.push({ path: ['events', index, 'seq'], message: `sequence numbers must be positive and strictly increasing (got ${seq} after ${previous})` });
    previous = seq;
  });
  return issues;
}

/** An export's events are read once (`eventIssues`), not parsed here and again there. */
const ImportSchema = TrajectoryExportSchema.extend({ collection: NameSchema, task: NameSchema, events: z.array(z.unknown()) }).superRefine((doc, issues) => {
  if (doc.format_version > TRAJECTORY_FORMAT_VERSION) {
    issues.addIssue({
      code: 'custom',
      path: ['format_version'],
      message: `format ${doc.format_version} is newer than this version of Jetty reads (${TRAJECTORY_FORMAT_VERSION}); update Jetty Desktop`,
    });
  }
  for (const issue of eventIssues(doc.events, doc.format_version >= FIRST_TYPED_FORMAT)) issues.addIssue({ code: 'custom', ...issue });
});

/** A later piece of a trajectory imported in pieces (a pull's next page of events, a large import's next batch). */
export interface ImportPiece {
  /** Events after the last one stored, in the current format (typed). */
  events: unknown[];
  /** With the last piece: the header's final state, steps and artifacts. */
  header?: TrajectoryPatch;
  steps?: Record<string, Step>;
  artifacts?: Artifact[];
}

const PieceSchema = z.object({
  events: z.array(z.unknown()),
  header: TrajectoryPatchSchema.optional(),
  steps: z.record(z.string(), StepSchema).optional(),
  artifacts: z.array(ArtifactSchema).optional(),
});

const NOTHING_RENAMED: ReadonlyMap<string, string> = new Map();

/** A model call's references into its conversation, after the import rehashed what redaction changed. */
function withConversationRefs(payload: Record<string, unknown>, renamed: ReadonlyMap<string, string>): Record<string, unknown> {
  if (renamed.size === 0) return payload;
  const ref = (value: unknown) => (typeof value === 'string' ? (renamed.get(value) ?? value) : value);
  if (!('prompt_ref' in payload) && !('completion_ref' in payload)) return payload;
  return { ...payload, prompt_ref: ref(payload.prompt_ref), completion_ref: ref(payload.completion_ref) };
}

/** Moves trajectories in and out of the store in the cloud's shape (`TrajectoryExport`). */
export function trajectoryTransfer(
  ctx: StoreContext,
  repos: Repositories,
): {
  export(id: string): TrajectoryExport;
  import(doc: unknown): string;
  importMany(docs: unknown[]): string[];
  importInTransaction(doc: unknown): string;
  continueInTransaction(id: string, piece: ImportPiece): number;
} {
  /**
   * Validates and stores an exported trajectory (inside the caller's transaction). The
   * original id is kept when it is a valid id not yet used here; otherwise a new one is
   * assigned. Imported trajectories have no owner, so they are never marked interrupted.
   * Returns the id it was stored under.
   */
  const importOne = (doc: unknown): string => {
    const parsed = parseOrThrow(ImportSchema, doc, 'trajectory export');
    const id =
      TRAJECTORY_ID.test(parsed.id) && !repos.trajectories.exists(parsed.id) ? parsed.id : repos.trajectories.freshId();
    const { format_version: _version, events, steps, labels, artifacts, rendered_runbook: runbook, conversation, ...header } = parsed;
    repos.trajectories.insert({ ...header, id }, null);
    // Redacted of the secrets this engine knows, as every record it stores is.
    const redactor = ctx.redactorFor(id);
    for (const [name, step] of Object.entries(steps)) repos.steps.put(id, name, redactor.redactValue(step));
    for (const label of labels) repos.labels.putImported(id, label);
    for (const artifact of artifacts) repos.artifacts.put(id, artifact);
    const renamed = conversation ? repos.conversations.importRows(id, conversation) : NOTHING_RENAMED;
    repos.events.insertRows(
      (events as StoredEvent[]).map(upgradeEvent).map((e): EventRow => [id, e.seq, e.time, e.level, e.type, e.step, redactor.redactJson(withConversationRefs(e.payload, renamed))]),
    );
    if (runbook != null) repos.conversations.setRenderedRunbook(id, runbook);
    return id;
  };

  return {
    /** The trajectory with its committed events, or not_found. */
    export(id: string): TrajectoryExport {
      const header = repos.trajectories.get(id);
      if (!header) throw new StoreError('not_found', `No trajectory with id '${id}' to export.`);
      return {
        format_version: TRAJECTORY_FORMAT_VERSION,
        ...header,
        steps: repos.steps.all(id),
        labels: repos.labels.all(id),
        artifacts: repos.artifacts.all(id),
        events: repos.events.all(id),
        rendered_runbook: repos.conversations.renderedRunbook(id),
        conversation: repos.conversations.export(id),
      };
    },
    /** Stores one export in its own transaction (see `importOne`). */
    import: writeTransaction(ctx.db, importOne),
    /**
     * Stores many exports in one transaction: all or none. No savepoint per export (a
     * failing one aborts the lot anyway), so SQLite keeps no undo copy of each page.
     */
    importMany: writeTransaction(ctx.db, (docs: unknown[]): string[] => docs.map(importOne)),
    /** `importOne` inside a transaction the caller holds (passthrough-records.ts). */
    importInTransaction: importOne,
    /**
     * Adds a piece to a trajectory being imported in pieces, inside the caller's
     * transaction: its events (checked as an import's are, after the stored ones), then the
     * header, steps and artifacts it carries. Returns how many events it stored.
     */
    continueInTransaction(id: string, piece: ImportPiece): number {
      const parsed = parseOrThrow(PieceSchema, piece, 'trajectory piece');
      repos.trajectories.require(id);
      const issue = eventIssues(parsed.events, true, repos.events.lastSeq(id))[0];
      if (issue) throw new StoreError('invalid_input', `Invalid trajectory piece: ${issue.path.join('.')}: ${issue.message}`);
      // Redacted as every record is (a pull's later pages come this way).
      const redactor = ctx.redactorFor(id);
      repos.events.insertRows((parsed.events as StoredEvent[]).map(upgradeEvent).map((e): EventRow => [id, e.seq, e.time, e.level, e.type, e.step, redactor.redactJson(e.payload)]));
      if (parsed.header) repos.trajectories.update(id, parsed.header);
      for (const [name, step] of Object.entries(parsed.steps ?? {})) repos.steps.put(id, name, redactor.redactValue(step));
      for (const artifact of parsed.artifacts ?? []) repos.artifacts.put(id, artifact);
      return parsed.events.length;
    },
  };
}
