import { z } from 'zod';
import { RunbookAnalysisSchema, RunbookEntrySchema } from './runbook';

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
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

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
  /** Writes a runbook inside an open folder atomically; returns the saved text's analysis. */
  'runbook.save': method(
    z.object({ path: NonEmptyPath, text: z.string().max(16 * 1024 * 1024, 'runbook text is larger than 16 MiB') }),
    RunbookAnalysisSchema,
  ),
} as const;

export const events = {
  'workspace.changed': WorkspaceSchema,
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
