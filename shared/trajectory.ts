import { z } from 'zod';
import { ConversationExportSchema } from './conversation';
import { TrajectoryEventSchema, TrajectoryStatusSchema, UsageSchema } from './trajectory-events';

/** 2: events are a tagged union (./trajectory-events); format-1 events are upgraded on import. */
export const TRAJECTORY_FORMAT_VERSION = 2;

export const TrajectoryKindSchema = z.enum(['runbook', 'passthrough', 'workflow']);
export type TrajectoryKind = z.infer<typeof TrajectoryKindSchema>;

export {
  EventLevelSchema,
  EventTypeSchema,
  TrajectoryEventSchema,
  type EventLevel,
  type EventType,
  type NewTrajectoryEvent,
  type TrajectoryEvent,
  TrajectoryStatusSchema,
  type TrajectoryStatus,
  UsageSchema,
  type Usage,
} from './trajectory-events';

export const StepSchema = z.object({
  status: TrajectoryStatusSchema,
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  started_at: z.string().nullable().optional(),
  ended_at: z.string().nullable().optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const ArtifactSchema = z.object({
  path: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  media_type: z.string(),
});
export type Artifact = z.infer<typeof ArtifactSchema>;

export const LabelSchema = z.object({
  key: z.string().min(1),
  value: z.string(),
  author: z.string().min(1),
  created_at: z.string().optional(),
});
export type Label = z.infer<typeof LabelSchema>;

export const EvaluationSchema = z.object({
  overall_passed: z.boolean().nullable(),
  pass: z.number().int(),
  partial: z.number().int(),
  fail: z.number().int(),
  /** Files the runbook's output table requires that the run left out; any makes `overall_passed` false. */
  missing_outputs: z.array(z.string()).optional(),
  report: z.unknown().optional(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

/** A trajectory header (no events), as listed and as exported in the cloud's shape. */
export const TrajectorySchema = z.object({
  id: z.string(),
  collection: z.string(),
  task: z.string(),
  kind: TrajectoryKindSchema,
  status: TrajectoryStatusSchema,
  error: z.string().nullable().optional(),
  init_params: z.record(z.string(), z.unknown()),
  agent: z.string().nullable(),
  model: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  usage: UsageSchema.nullable(),
  evaluation: EvaluationSchema.nullable(),
  steps: z.record(z.string(), StepSchema),
  labels: z.array(LabelSchema),
  artifacts: z.array(ArtifactSchema),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

/** The export document: a trajectory with its events, versioned. */
export const TrajectoryExportSchema = TrajectorySchema.extend({
  format_version: z.number().int(),
  events: z.array(TrajectoryEventSchema),
  /** The runbook as the run's agent received it (rendered, redacted). */
  rendered_runbook: z.string().nullable().optional(),
  /** What the model saw and said: the messages and prompt chain its model_call events refer to. */
  conversation: ConversationExportSchema.nullable().optional(),
});
export type TrajectoryExport = z.infer<typeof TrajectoryExportSchema>;
