import type { WorkflowRunView } from '../../../../shared/contract';
import type { TrajectoryStatus } from '../../../../shared/trajectory';

type ViewStep = WorkflowRunView['steps'][number];
type ViewChild = WorkflowRunView['children'][number];

/** A fan-out step's children, grouped under it: counts by status and each child in index order. */
export interface ChildGroup {
  total: number;
  counts: Partial<Record<TrajectoryStatus, number>>;
  children: ViewChild[];
}

export interface GraphNode {
  name: string;
  activity: string;
  /** `skipped` for a branch not taken. */
  state: TrajectoryStatus | 'skipped';
  attempt: number;
  retries: ViewStep['retries'];
  /** Milliseconds the step took (so far, when running); null before it starts. */
  durationMs: number | null;
  /** Milliseconds from the run's first step start to this step's start (for the timing bar). */
  offsetMs: number | null;
  error: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** For a conditional_branch that ran: the step it jumped to. */
  jumpsTo: string | null;
  children: ChildGroup | null;
}

export interface StepGraph {
  nodes: GraphNode[];
  /** Steps that ended (completed, failed, cancelled or skipped) of all steps. */
  finished: number;
  /** The longest span from the first start to any end (ms), to scale timing bars. */
  spanMs: number;
}

const FAN_OUT = 'list_emit_await';
const ENDED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled', 'skipped']);

function groupChildren(children: readonly ViewChild[]): Map<string, ChildGroup> {
  const groups = new Map<string, ChildGroup>();
  for (const child of [...children].sort((a, b) => a.index - b.index)) {
    const group = groups.get(child.step) ?? { total: 0, counts: {}, children: [] };
    group.total++;
    group.counts[child.status] = (group.counts[child.status] ?? 0) + 1;
    group.children.push(child);
    groups.set(child.step, group);
  }
  return groups;
}

const time = (iso: string | null): number | null => (iso ? Date.parse(iso) : null);

/**
 * A workflow run as a step graph: its steps in document order, each with its state,
 * timing, attempts and retried failures; a fan-out's children grouped under the step that
 * started them; a branch's jump target. `now` times steps still running.
 */
export function buildStepGraph(view: WorkflowRunView, now: number): StepGraph {
  const groups = groupChildren(view.children);
  const starts = view.steps.map((s) => time(s.started_at)).filter((t): t is number => t !== null);
  const origin = starts.length ? Math.min(...starts) : null;
  let spanMs = 0;
  const nodes = view.steps.map((s): GraphNode => {
    const started = time(s.started_at);
    const ended = time(s.ended_at) ?? (s.status === 'running' && started !== null ? now : null);
    const durationMs = started !== null && ended !== null ? Math.max(0, ended - started) : null;
    const offsetMs = started !== null && origin !== null ? started - origin : null;
    if (offsetMs !== null && durationMs !== null) spanMs = Math.max(spanMs, offsetMs + durationMs);
    return {
      name: s.name,
      activity: s.activity,
      state: s.skipped ? 'skipped' : s.status,
      attempt: s.attempt,
      retries: s.retries,
      durationMs,
      offsetMs,
      error: s.error,
      inputs: s.inputs,
      outputs: s.outputs,
      jumpsTo: s.activity === 'conditional_branch' && typeof s.outputs.next_step === 'string' ? s.outputs.next_step : null,
      children: s.activity === FAN_OUT || groups.has(s.name) ? (groups.get(s.name) ?? { total: 0, counts: {}, children: [] }) : null,
    };
  });
  return { nodes, finished: nodes.filter((n) => ENDED.has(n.state)).length, spanMs };
}

/** `1.2 s`, `340 ms`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
