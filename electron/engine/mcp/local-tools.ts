/**
 * The tools only a local Jetty has: lint a runbook, run one in a Docker sandbox (with MCP
 * progress notifications while it runs), and page through a run's events. Each goes
 * through the engine's contract (`run.start`, `runbook.lint`, `trajectory.events`, the
 * event bus), as the UI does.
 */
import path from 'node:path';
import { z } from 'zod';
import type { Client } from '../../../shared/rpc';
import { eventSummary } from '../../../shared/event-text';
import type { RunbookAnalysis } from '../../../shared/runbook';
import type { Trajectory, TrajectoryEvent } from '../../../shared/trajectory';
import { analyzeRunbookText } from '../runbook';
import { READ, WRITE, defineTool, type JettyTool, type ToolContext } from './tool';

/** Room for the contract's largest runbook text. */
const MAX_RUNBOOK_TEXT = 16 * 1024 * 1024;
/** A progress message's bound (command output can be long). */
const MAX_PROGRESS_TEXT = 1000;
/** Events a run emits before its start returns its id (kept to be sent as progress once it is known). */
const MAX_EARLY_EVENTS = 1000;
const ENDED = new Set(['completed', 'failed', 'cancelled']);
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A path as given: absolute, or relative to the first open folder; the contract's handlers check it lies inside the open folders. */
async function inOpenFolders(client: Client, given: string): Promise<string> {
  if (path.isAbsolute(given)) return given;
  const [first] = await client['workspace.current']({});
  if (!first) throw new Error(`'${given}' is relative and no folder is open: give an absolute path inside an open folder`);
  return path.resolve(first.folder, given);
}

function lintReport(analysis: RunbookAnalysis) {
  const count = (severity: string) => analysis.diagnostics.filter((d) => d.severity === severity).length;
  return {
    path: analysis.path,
    title: analysis.title,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    diagnostics: analysis.diagnostics,
    parameters: analysis.parameters.map(({ name, required, type }) => ({ name, required, type })),
    secrets: analysis.secrets.map(({ name, required }) => ({ name, required })),
    settings: analysis.settings,
  };
}

/** The values of the named secrets, from the server's environment (never from the call: the model would see them). */
function namedSecrets(names: string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (!value) {
      throw new Error(`secret ${name}: set the environment variable ${name} where this MCP server runs (the "env" of its entry in your agent's MCP config, or jetty serve's environment)`);
    }
    values[name] = value;
  }
  return values;
}

const runSummary = (t: Trajectory) => ({
  trajectory_id: t.id,
  collection: t.collection,
  task: t.task,
  status: t.status,
  error: t.error ?? null,
  evaluation: t.evaluation,
  artifacts: t.artifacts.map(({ path: file, size, media_type }) => ({ path: file, size, media_type })),
  agent: t.agent,
  model: t.model,
  usage: t.usage,
});

interface RunArgs {
  path: string;
  params?: Record<string, string>;
  secrets?: string[];
  agent?: string;
  model?: string;
  timeout_seconds?: number;
  run_anyway?: boolean;
}

/**
 * Starts a run through `run.start` and waits for its end on the event bus, sending each of
 * its events as a progress message. A call the client cancels (or a client that goes away)
 * cancels the run.
 */
async function runToEnd(args: RunArgs, ctx: ToolContext): Promise<Trajectory> {
  const { client } = ctx.backend;
  const runbookPath = await inOpenFolders(client, args.path);
  const secrets = namedSecrets(args.secrets ?? [], ctx.backend.env);
  let id: string | null = null;
  const early: { trajectoryId: string; event: TrajectoryEvent }[] = [];
  const ended = new Map<string, Trajectory>();
  let onEnd: ((t: Trajectory) => void) | null = null;
  const report = (event: TrajectoryEvent) => void ctx.progress(eventSummary(event).slice(0, MAX_PROGRESS_TEXT)).catch(() => undefined);
  const offEvents = client.on('run.event', (e) => {
    if (id === null && early.length < MAX_EARLY_EVENTS) early.push(e);
    else if (e.trajectoryId === id) report(e.event);
  });
  // The run's end may come before start() returns (a run that fails at once): ends are kept until the id is known.
  const offChanges = client.on('trajectory.changed', (t) => {
    if (!ENDED.has(t.status) || (id !== null && t.id !== id)) return;
    ended.set(t.id, t);
    if (t.id === id) onEnd?.(t);
  });
  try {
    ({ trajectoryId: id } = await client['run.start']({
      runbookPath,
      params: args.params ?? {},
      secrets,
      agent: args.agent,
      model: args.model,
      timeoutSeconds: args.timeout_seconds,
      runAnyway: args.run_anyway,
    }));
    const runId = id;
    for (const e of early) if (e.trajectoryId === runId) report(e.event);
    const now = ended.get(runId) ?? (await client['trajectory.get']({ id: runId }));
    if (ENDED.has(now.status)) return now;
    return await new Promise<Trajectory>((resolve, reject) => {
      const cancel = () => {
        void client['run.cancel']({ trajectoryId: runId }).catch(() => undefined);
        reject(new Error(`run ${runId} was cancelled: the client cancelled the call or went away`));
      };
      onEnd = resolve;
      const seen = ended.get(runId);
      if (seen) return resolve(seen);
      if (ctx.signal.aborted) return cancel();
      ctx.signal.addEventListener('abort', cancel, { once: true });
    });
  } finally {
    offEvents();
    offChanges();
  }
}

export const LOCAL_TOOLS: readonly JettyTool[] = [
  defineTool({
    name: 'lint-runbook',
    title: 'Lint runbook',
    description:
      'Check a RUNBOOK.md and list its diagnostics (line, column, severity, RB0xx code, message, hint). Give `path` (inside an open folder; relative paths start at the first one), `text` (a draft; with `path` it replaces the file\'s content), or both.',
    inputSchema: {
      path: z.string().max(4096).optional().describe('RUNBOOK.md path inside an open folder'),
      text: z.string().max(MAX_RUNBOOK_TEXT).optional().describe('Runbook text to check instead of the file'),
    },
    annotations: READ,
    async run({ path: given, text }, { backend }) {
      if (given === undefined) {
        if (text === undefined) throw new Error('lint-runbook: give `path` (a RUNBOOK.md inside an open folder) or `text` (the runbook itself)');
        // Text alone has no folder: no manifest.json beside it, no folder lint settings.
        return lintReport(analyzeRunbookText(text, { path: 'RUNBOOK.md' }));
      }
      return lintReport(await backend.client['runbook.lint']({ path: await inOpenFolders(backend.client, given), text }));
    },
  }),
  defineTool({
    name: 'run-runbook',
    title: 'Run runbook',
    description:
      'Run a RUNBOOK.md from an open folder locally in a Docker sandbox with an agent, and wait for it to end (progress notifications while it runs). Returns the trajectory id, status, error, evaluation and artifacts; follow up with get-run-events.',
    inputSchema: {
      path: z.string().min(1).max(4096).describe('RUNBOOK.md path inside an open folder (relative paths start at the first one)'),
      params: z.record(z.string(), z.string()).optional().describe('Parameter values by name'),
      secrets: z
        .array(z.string().regex(SECRET_NAME, 'a secret name is letters, digits and _'))
        .max(100)
        .optional()
        .describe("Names of secrets to pass, each read from this server's environment variable of that name; other declared secrets come from the collection environment, then the secret store"),
      agent: z.string().max(64).optional().describe('builtin, claude-code, codex or gemini-cli (default: Settings, else the runbook\'s)'),
      model: z.string().max(256).optional().describe("Model name (default: Settings, else JETTY_MODEL, else the runbook's)"),
      timeout_seconds: z.number().int().positive().max(86_400).optional().describe('Whole-run timeout (default 1800)'),
      run_anyway: z.boolean().optional().describe('Start even when lint finds errors (recorded in the trajectory)'),
    },
    annotations: WRITE,
    run: async (args, ctx) => runSummary(await runToEnd(args, ctx)),
  }),
  defineTool({
    name: 'get-run-events',
    title: 'Get run events',
    description: "A page of a run's events in order (messages, tool calls, command output, model calls, status…): those after `after_seq`, at most `limit`; page on with next_after_seq while has_more",
    inputSchema: {
      trajectory_id: z.string().describe('Trajectory id'),
      after_seq: z.number().int().min(0).optional().default(0).describe('Events after this sequence number (0: from the start)'),
      limit: z.number().int().min(1).max(1000).optional().default(200).describe('Events per page'),
    },
    annotations: READ,
    async run({ trajectory_id, after_seq, limit }, { backend }) {
      const page = await backend.client['trajectory.events']({ id: trajectory_id, afterSeq: after_seq, limit });
      const last = page.events.at(-1)?.seq ?? after_seq;
      return { trajectory_id, events: page.events, total: page.total, next_after_seq: last, has_more: last < page.total };
    },
  }),
];
