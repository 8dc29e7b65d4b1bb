import type { EvaluationTrial } from '../../../../shared/evaluations';
import type { TrajectoryEvent } from '../../../../shared/trajectory';
import type { EvaluationRecord, Store } from '../../store';
import { cellLabel } from '../definition';

/** How much of one field (a tool's output, a message) the digest keeps. */
export const FIELD_CHARS = 400;
/** Events read of one trial's run: its first ones and its last ones (a long run's middle is left out). */
const HEAD_EVENTS = 2000;
const TAIL_EVENTS = 500;
/** Failed trials the digest describes at most. */
export const MAX_DIGEST_TRIALS = 24;
/** A tool call answered after this long is marked as a long step. */
const LONG_STEP_MS = 30_000;
/** The least a trial is given of the digest's budget. */
const MIN_TRIAL_BUDGET = 2048;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** One line of at most `max` characters: whitespace runs folded, the rest cut with its length said. */
export function clip(text: string, max = FIELD_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}… [${flat.length - max} more chars]`;
}

/** `text` cut to at most `max` UTF-8 bytes (on a character boundary). */
export function clipBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  const buffer = Buffer.from(text, 'utf8').subarray(0, Math.max(0, max));
  return buffer.toString('utf8').replace(/\uFFFD+$/, '');
}

/** The failed and errored trials of an evaluation (its own and re-runs) that have a run to read, first of each cell first. */
export function failedTrials(trials: readonly EvaluationTrial[]): (EvaluationTrial & { trajectory_id: string })[] {
  return trials
    .filter((t): t is EvaluationTrial & { trajectory_id: string } => t.state === 'ended' && (t.outcome === 'failed' || t.outcome === 'error') && t.trajectory_id !== null)
    .sort((a, b) => a.trial - b.trial || a.cell - b.cell || a.case - b.case);
}

/** A run's events, bounded: the first HEAD_EVENTS and the last TAIL_EVENTS, with how many were left out between. */
function boundedEvents(store: Store, id: string): { head: TrajectoryEvent[]; skipped: number; tail: TrajectoryEvent[] } {
  const total = store.countEvents(id);
  const head = store.listEvents(id, { afterSeq: 0, limit: HEAD_EVENTS });
  if (total <= HEAD_EVENTS || head.length < HEAD_EVENTS) return { head, skipped: 0, tail: [] };
  const last = head[head.length - 1].seq;
  const tail = store.listEvents(id, { afterSeq: last + Math.max(0, total - HEAD_EVENTS - TAIL_EVENTS), limit: TAIL_EVENTS });
  return { head, skipped: Math.max(0, total - head.length - tail.length), tail };
}

const argumentsText = (args: unknown) => (typeof args === 'string' ? args : JSON.stringify(args ?? {}));

/** The lines of a run's steps worth reading: tool calls (repeats marked), their results (errors and long ones marked), messages, errors, retries. */
function stepLines(events: readonly TrajectoryEvent[], calls: Map<string, { seq: number; time: number; key: string }>, seen: Map<string, number>): string[] {
  const lines: string[] = [];
  for (const e of events) {
    const at = `[step ${e.seq}]`;
    switch (e.type) {
      case 'tool_call': {
        const args = argumentsText(e.payload.arguments);
        const key = `${e.payload.name} ${args}`;
        const earlier = seen.get(key);
        calls.set(e.payload.id, { seq: e.seq, time: Date.parse(e.time), key });
        if (earlier === undefined) seen.set(key, e.seq);
        lines.push(`${at} tool_call ${e.payload.name} ${clip(args)}${earlier === undefined ? '' : ` (REPEATS step ${earlier})`}`);
        break;
      }
      case 'tool_result': {
        const call = calls.get(e.payload.id);
        const took = call ? Date.parse(e.time) - call.time : 0;
        const exit = e.payload.exit_code === null || e.payload.exit_code === undefined ? '' : ` exit ${e.payload.exit_code}`;
        const marks = [e.payload.ok ? '' : 'TOOL ERROR', took >= LONG_STEP_MS ? `LONG: ${Math.round(took / 1000)} s` : ''].filter(Boolean).join(', ');
        lines.push(`${at} tool_result ${e.payload.name}${exit}${marks ? ` (${marks})` : ''}: ${clip(e.payload.output)}`);
        break;
      }
      case 'message':
        if (e.payload.role === 'assistant') lines.push(`${at} assistant: ${clip(e.payload.text)}`);
        break;
      case 'file_change':
        lines.push(`${at} file_change ${e.payload.kind} ${clip(e.payload.path, 200)}`);
        break;
      case 'retry':
        lines.push(`${at} retry ${clip(e.payload.what, 100)} attempt ${e.payload.attempt}: ${clip(e.payload.error)}`);
        break;
      case 'log':
        if (e.level === 'error' || e.level === 'warning') lines.push(`${at} ${e.level}: ${clip(e.payload.message)}`);
        break;
      case 'status':
        if (e.payload.status === 'failed' || e.payload.status === 'cancelled') lines.push(`${at} status ${e.payload.status}${e.payload.error ? `: ${clip(e.payload.error)}` : ''}`);
        break;
      default:
        break;
    }
  }
  return lines;
}

/** Lines kept within `budget` bytes: the first ones, then the last ones (the final message), the middle said to be left out. */
function fitLines(lines: readonly string[], budget: number): string[] {
  const size = (ls: readonly string[]) => ls.reduce((n, l) => n + bytes(l) + 1, 0);
  if (size(lines) <= budget) return [...lines];
  const head: string[] = [];
  const tail: string[] = [];
  let used = 80; // the marker line
  let i = 0;
  let j = lines.length - 1;
  // The last lines first get a third of the budget (how the run ended), then the first lines fill the rest.
  while (j >= 0 && used + bytes(lines[j]) + 1 <= budget / 3) {
    used += bytes(lines[j]) + 1;
    tail.unshift(lines[j--]);
  }
  while (i <= j && used + bytes(lines[i]) + 1 <= budget) {
    used += bytes(lines[i]) + 1;
    head.push(lines[i++]);
  }
  const left = j - i + 1;
  return left === 0 ? [...head, ...tail] : [...head, `… ${left} step line${left === 1 ? '' : 's'} left out …`, ...tail];
}

/** One failed trial: what it is, how it ended, its failed stages, and its steps within `budget` bytes. */
export function trialDigest(store: Store, record: EvaluationRecord, trial: EvaluationTrial & { trajectory_id: string }, budget: number): string {
  const cell = record.cells[trial.cell];
  const header = [
    `### Trial run ${trial.trajectory_id}: cell "${cell ? cellLabel(cell) : trial.cell}", case "${clip(record.cases[trial.case]?.name ?? String(trial.case), 100)}", trial ${trial.trial}${trial.rerun_of === null ? '' : ` (re-run of ${trial.rerun_of})`}`,
    `Outcome: ${trial.outcome}${trial.error_kind ? ` (${trial.error_kind})` : ''}${trial.error ? `: ${clip(trial.error)}` : ''}`,
    ...trial.stages.filter((s) => s.outcome !== 'pass').map((s) => `Failed stage: ${clip(s.name, 100)} ${s.outcome}${s.message ? `: ${clip(s.message)}` : ''}`),
    'Steps:',
  ];
  const { head, skipped, tail } = boundedEvents(store, trial.trajectory_id);
  const calls = new Map<string, { seq: number; time: number; key: string }>();
  const seen = new Map<string, number>();
  const lines = [...stepLines(head, calls, seen), ...(skipped > 0 ? [`… ${skipped} events not read …`] : []), ...stepLines(tail, calls, seen)];
  const text = [...header, ...fitLines(lines, Math.max(0, budget - bytes(header.join('\n')) - 1))].join('\n');
  return clipBytes(text, budget);
}

/**
 * The failed and errored trials of an evaluation as one text of at most `budget` bytes, for
 * the analysis agent: each trial's cell, case, outcome, error kind, failed stages and its
 * steps by their `[step N]` (the event's seq: what evidence cites), each field clipped, a
 * long run's middle left out. Trajectories are stored redacted; nothing else is added.
 */
export function failureDigest(store: Store, record: EvaluationRecord, trials: readonly EvaluationTrial[], budget: number): string {
  const failed = failedTrials(trials);
  const shown = failed.slice(0, MAX_DIGEST_TRIALS);
  const note = failed.length > shown.length ? `(${failed.length - shown.length} more failed trials not shown)\n` : '';
  const each = Math.max(MIN_TRIAL_BUDGET, Math.floor((budget - bytes(note)) / Math.max(1, shown.length)) - 2);
  const text = note + shown.map((t) => trialDigest(store, record, t, each)).join('\n\n');
  return clipBytes(text, budget);
}
