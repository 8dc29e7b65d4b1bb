/**
 * Routines: scheduled runs of a task, in Jetty's routine API shape (cadences in UTC, the
 * routine's own parameter overrides, secret parameters by name, pause, run-now, its runs).
 */
import { z } from 'zod';
import { NameSchema } from './names';

export const DAYS_OF_WEEK = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hour = z.number().int().min(0).max(23);
const minute = z.number().int().min(0).max(59);

/** When a routine fires, in UTC: `manual` only on run-now; the others at their slots. No other fields are allowed. */
export const CadenceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('manual') }),
  z.strictObject({ type: z.literal('hourly'), minute_utc: minute.default(0) }),
  z.strictObject({ type: z.literal('daily'), hour_utc: hour, minute_utc: minute.default(0) }),
  z.strictObject({ type: z.literal('weekdays'), hour_utc: hour, minute_utc: minute.default(0) }),
  z.strictObject({ type: z.literal('weekly'), hour_utc: hour, minute_utc: minute.default(0), day_of_week: z.enum(DAYS_OF_WEEK) }),
]);
export type Cadence = z.infer<typeof CadenceSchema>;

const two = (n: number) => String(n).padStart(2, '0');

/** A cadence for people: "weekdays at 09:30 UTC", "hourly at :15", "manual". */
export function cadenceText(c: Cadence): string {
  switch (c.type) {
    case 'manual':
      return 'manual';
    case 'hourly':
      return `hourly at :${two(c.minute_utc)}`;
    case 'weekly':
      return `weekly on ${c.day_of_week} at ${two(c.hour_utc)}:${two(c.minute_utc)} UTC`;
    default:
      return `${c.type} at ${two(c.hour_utc)}:${two(c.minute_utc)} UTC`;
  }
}

/** A webhook URL: http or https, at most 2,048 characters (loopback and private addresses are allowed: the user sets it). */
export const WebhookUrlSchema = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

const Params = z.record(z.string(), z.unknown());
/** Secret parameters: names to values (kept in the vault; never shown again). */
const SecretParams = z.record(z.string().min(1).max(256), z.string());

export const NewRoutineSchema = z.strictObject({
  name: NameSchema,
  cadence: CadenceSchema,
  init_params_overrides: Params.optional(),
  secret_params: SecretParams.optional(),
  paused: z.boolean().optional(),
  webhook_url: WebhookUrlSchema.nullish(),
  webhook_secret: z.string().min(1).max(1024).nullish(),
});
export type NewRoutineInput = z.infer<typeof NewRoutineSchema>;

export const RoutinePatchSchema = NewRoutineSchema.omit({ name: true }).partial();
export type RoutinePatchInput = z.infer<typeof RoutinePatchSchema>;

/** A routine as the API answers it: secret parameters by name, the webhook secret as whether one is set. */
export const RoutineSchema = z.object({
  id: z.number().int(),
  collection: z.string(),
  task: z.string(),
  name: z.string(),
  cadence: CadenceSchema,
  init_params_overrides: Params,
  secret_params: z.array(z.string()),
  paused: z.boolean(),
  webhook_url: z.string().nullable(),
  webhook_secret_set: z.boolean(),
  next_run_at: z.string().nullable(),
  last_run_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Routine = z.infer<typeof RoutineSchema>;

/** One firing of a routine, as its history shows it. */
export const RoutineFiringSchema = z.object({
  trajectory_id: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  slot: z.string().nullable(),
  /** Earlier slots that passed while Jetty was not running, folded into this one firing. */
  missed: z.number().int(),
  state: z.enum(['claimed', 'started', 'failed']),
  error: z.string().nullable(),
  fired_at: z.string(),
  /** One line for people: "ran at its 09:00 UTC slot", "missed 5 slots while Jetty was not running; ran once". */
  note: z.string(),
  status: z.string().nullable(),
});
export type RoutineFiring = z.infer<typeof RoutineFiringSchema>;

/** A firing this long after its slot ran late (Jetty was asleep or stopped at the slot). */
export const LATE_FIRING_MS = 60_000;

/** The firing's line for people. */
export function firingNote(f: Pick<RoutineFiring, 'trigger' | 'slot' | 'missed' | 'state' | 'error' | 'fired_at'>): string {
  const late = f.slot !== null && Date.parse(f.fired_at) - Date.parse(f.slot) > LATE_FIRING_MS;
  const slots = f.missed + 1;
  const what =
    f.trigger === 'manual'
      ? 'run now'
      : f.missed > 0 || late
        ? `${slots} slot${slots === 1 ? '' : 's'} passed while Jetty was not running (asleep or stopped); ran once, late, for ${f.slot}`
        : `ran at its slot ${f.slot}`;
  return f.state === 'failed' ? `${what}: could not start: ${f.error ?? 'unknown error'}` : what;
}

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const Where = z.object({ collection: NameSchema, task: NameSchema });
const One = Where.extend({ name: NameSchema });

/** A routine's run: its firing and the trajectory's status. */
export const RoutineRunSchema = RoutineFiringSchema.extend({ trajectory: z.unknown() });

/** The contract's routine methods (the Routines view), over the same service as `/api/v1/routines`. */
export const routineMethods = {
  /** Every routine, or a collection's, or a task's. */
  'routine.list': method(z.object({ collection: NameSchema.optional(), task: NameSchema.optional() }), z.array(RoutineSchema)),
  'routine.create': method(Where.extend({ routine: NewRoutineSchema }), RoutineSchema),
  'routine.update': method(One.extend({ patch: RoutinePatchSchema }), RoutineSchema),
  'routine.delete': method(One, z.object({ deleted: z.boolean() })),
  'routine.pause': method(One, RoutineSchema),
  'routine.resume': method(One, RoutineSchema),
  'routine.runNow': method(One, z.object({ trajectory_id: z.string() })),
  /** Its firings, newest first, with each run's status. */
  'routine.runs': method(One.extend({ limit: z.number().int().min(1).max(100).default(20) }), z.array(RoutineRunSchema)),
} as const;

export const routineEvents = {
  /** A routine was created, changed, deleted or fired. */
  'routines.changed': z.object({}),
} as const;
