// "Suggest fixes" without a model: the failures digest stays within its bound whatever the
// runs hold (a run of 20,000 events with a 1 MiB tool output), cites steps by their seq and
// keeps each run's end; the analysis prompt stays within its bound with a huge runbook; each
// proposal is checked (lens, sizes, its edit of RUNBOOK.md, its evidence) with every reason.
import { describe, expect, it } from 'vitest';
import { SUGGESTION_LIMITS } from '../../../../shared/evaluation-suggestions';
import type { EvaluationTrial } from '../../../../shared/evaluations';
import { aTrajectory, tempStore } from '../../store/temp-store.test-helper';
import type { EvaluationRecord, Store } from '../../store';
import { firstMessages, PROMPT_BOUND, promptBytes } from './analysis';
import { clip, failureDigest, trialDigest } from './digest';
import { applyEdit, checkProposal, proposalsOf, type ProposalContext } from './proposals';
import { suggestionCells, verdictOf } from './verdict';

const record = (trials = 2): EvaluationRecord => ({
  id: 'e0e0e0e0',
  name: 'nightly',
  runbook_path: '/r/demo/hello/RUNBOOK.md',
  collection: 'demo',
  task: 'hello',
  content_hash: 'a'.repeat(64),
  version: null,
  cells: [{ agent: null, model: 'm', image: null, params: {}, executor: 'local' }],
  cases: [{ name: 'default', params: {} }],
  trials,
  concurrency: { local: 2, remote: 4 },
  timeout_seconds: null,
  status: 'completed',
  error: null,
  owner: null,
  created_at: '2026-01-01T00:00:00.000Z',
  ended_at: null,
  suggestion_of: null,
});

const trialOf = (trajectory_id: string, trial: number, outcome: EvaluationTrial['outcome'] = 'failed'): EvaluationTrial => ({
  cell: 0,
  case: 0,
  trial,
  rerun_of: null,
  executor: 'local',
  state: 'ended',
  attempt: 1,
  trajectory_id,
  superseded: [],
  outcome,
  error_kind: outcome === 'failed' ? 'verdict' : null,
  error: null,
  stages: [{ name: 'line_count', outcome: 'fail', message: 'expected 3 lines, found 2' }],
  duration_ms: 1000,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
  ended_at: null,
});

/** A run: `calls` bash calls (each with its result; the first output `firstOutput`), then a final message. */
function aRun(store: Store, calls: number, firstOutput = 'ok'): string {
  const { id } = store.createTrajectory(aTrajectory());
  const writer = store.eventWriter(id);
  for (let i = 0; i < calls; i++) {
    writer.append({ level: 'info', type: 'tool_call', payload: { id: `c${i}`, name: 'bash', arguments: { command: i % 2 ? 'ls /app' : `echo ${i}` } } });
    writer.append({ level: 'info', type: 'tool_result', payload: { id: `c${i}`, name: 'bash', ok: i !== 1, output: i === 0 ? firstOutput : `out ${i}`, exit_code: i === 1 ? 2 : 0 } });
  }
  writer.append({ level: 'info', type: 'message', payload: { role: 'assistant', text: 'FINAL: I could not make line_count pass.' } });
  writer.close();
  return id;
}

describe('the failures digest', () => {
  it('cites each step by its seq, marks tool errors and repeats, and names the trial and its failed stages', () => {
    const { store } = tempStore();
    const id = aRun(store, 4);
    const text = trialDigest(store, record(), trialOf(id, 1) as EvaluationTrial & { trajectory_id: string }, 64 * 1024);
    expect(text).toContain(`### Trial run ${id}: cell "default agent / m", case "default", trial 1`);
    expect(text).toContain('Failed stage: line_count fail: expected 3 lines, found 2');
    expect(text).toContain('[step 1] tool_call bash {"command":"echo 0"}');
    expect(text).toContain('[step 4] tool_result bash exit 2 (TOOL ERROR): out 1');
    expect(text).toContain('[step 7] tool_call bash {"command":"ls /app"} (REPEATS step 3)');
    expect(text).toContain('[step 9] assistant: FINAL: I could not make line_count pass.');
  });

  it('stays within its budget with a huge run (20,000 events, a 1 MiB output), keeping its first steps and its end', () => {
    const { store } = tempStore();
    const huge = aRun(store, 10_000, 'x'.repeat(1024 * 1024));
    const small = aRun(store, 3);
    const trials = [trialOf(huge, 1), trialOf(small, 2), trialOf('passedrun', 3, 'passed')];
    const budget = 48 * 1024;
    const text = failureDigest(store, record(3), trials, budget);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(budget);
    expect(text).toContain('[step 1] tool_call bash');
    expect(text).toContain(`… [${1024 * 1024 - 400} more chars]`);
    expect(text).toMatch(/… \d+ step lines left out …/);
    // The huge run's own end is kept (its last step), not only the small run's.
    const hugeSection = text.slice(text.indexOf(`### Trial run ${huge}`), text.indexOf(`### Trial run ${small}`));
    expect(hugeSection).toContain('[step 20001] assistant: FINAL: I could not make line_count pass.');
    // Both failed trials are in it, the passed one is not.
    expect(text).toContain(`### Trial run ${huge}`);
    expect(text).toContain(`### Trial run ${small}`);
    expect(text).not.toContain('passedrun');
    expect(clip('a\n\n b', 10)).toBe('a b');
  });

  it('the analysis prompt stays within its bound with a 1 MiB runbook and a digest past the bound', () => {
    const messages = firstMessages('# Runbook\n'.repeat(100_000), 'y'.repeat(PROMPT_BOUND * 2));
    expect(promptBytes(messages)).toBeLessThanOrEqual(PROMPT_BOUND);
    expect(String(messages[1].content)).toContain('[RUNBOOK.md is longer: its first 64 KiB are shown]');
  });
});

describe('proposals', () => {
  const runbook = '# Hello\n\nWrite the greeting.\n\nCheck it.\nCheck it.\n';
  const context: ProposalContext = {
    runbook,
    evidenceProblem: (e) => (e.trajectory_id !== 'f00dcafe' ? `evidence ${e.trajectory_id}: not a failed trial of this evaluation` : e.step > 10 ? `evidence ${e.trajectory_id}: it has no step ${e.step}` : null),
  };
  const valid = { lens: 'consistent_failures', title: 'Say how many lines', rationale: 'line_count failed in every trial', evidence: [{ trajectory_id: 'f00dcafe', step: 3 }], find: 'Write the greeting.', replace: 'Write the greeting, exactly 3 lines.' };
  const reasons = (raw: unknown) => {
    const checked = checkProposal(raw, context);
    return checked.ok ? null : checked.reason;
  };

  it('keeps a proposal whose edit occurs once and whose evidence is a failed trial step', () => {
    expect(checkProposal(valid, context)).toEqual({ ok: true, edit: valid });
    expect(applyEdit(runbook, valid)).toBe('# Hello\n\nWrite the greeting, exactly 3 lines.\n\nCheck it.\nCheck it.\n');
  });

  it('refuses with every reason: the lens, find missing or repeated, evidence of another run or a step that does not exist, sizes', () => {
    expect(reasons({ ...valid, lens: 'vibes' })).toBe('lens must be one of consistent_failures, wasted_iterations, timeouts, divergent_behaviour, missing_guardrails');
    expect(reasons({ ...valid, find: 'Write the report.' })).toBe('find does not occur in RUNBOOK.md: copy the text to replace exactly');
    expect(reasons({ ...valid, find: 'Check it.' })).toBe('find occurs more than once in RUNBOOK.md: include more context so it occurs once');
    expect(reasons({ ...valid, evidence: [{ trajectory_id: 'beefbeef', step: 1 }, { trajectory_id: 'f00dcafe', step: 99 }] })).toBe(
      'evidence beefbeef: not a failed trial of this evaluation; evidence f00dcafe: it has no step 99',
    );
    expect(reasons({ ...valid, evidence: [] })).toBe('evidence must cite at least one step of a failed trial ({trajectory_id, step})');
    expect(reasons({ ...valid, evidence: [{ trajectory_id: 'f00dcafe', step: 'three' }] })).toBe('evidence f00dcafe: step must be an integer');
    expect(reasons({ ...valid, replace: valid.find })).toBe('replace is the same as find: the edit changes nothing');
    expect(reasons({ ...valid, title: 't'.repeat(SUGGESTION_LIMITS.title + 1) })).toBe(`title is longer than ${SUGGESTION_LIMITS.title} characters`);
    expect(reasons({ ...valid, replace: 'r'.repeat(SUGGESTION_LIMITS.replace + 1) })).toBe(`replace is longer than ${SUGGESTION_LIMITS.replace} characters`);
    expect(reasons('edit it')).toBe('a suggestion is an object {lens, title, rationale, evidence, find, replace}');
    // What is kept of a refused one is bounded too.
    const refused = checkProposal({ ...valid, rationale: 'r'.repeat(100_000), lens: 'x' }, context);
    expect(refused.edit.rationale).toHaveLength(SUGGESTION_LIMITS.rationale);
  });

  it('reads the call’s arguments, or says why not', () => {
    expect(proposalsOf('{"suggestions": [1]}', 100)).toEqual({ proposals: [1] });
    expect(proposalsOf('{"edits": []}', 100)).toEqual({ error: 'the arguments must be {"suggestions": [...]}' });
    expect(proposalsOf('{', 100)).toEqual({ error: 'the arguments are not JSON' });
    expect(proposalsOf('x'.repeat(101), 100)).toEqual({ error: "the call's arguments are longer than 100 characters: propose fewer, smaller edits" });
  });
});

describe('the verdict', () => {
  const cell = (passed: number, trials: number, hat: number, label = 'c') =>
    ({ cell: 0, label, trials, passed, pass_rate: trials ? passed / trials : null, pass_hat_k: { 2: hat } }) as never;
  it('improved when pass^k rose, worse when any cell fell, unchanged otherwise', () => {
    const up = suggestionCells([cell(0, 2, 0)], [cell(2, 2, 1)], 2);
    expect(up).toEqual([{ label: 'c', k: 2, before: { trials: 2, passed: 0, pass_rate: 0, pass_hat_k: 0 }, after: { trials: 2, passed: 2, pass_rate: 1, pass_hat_k: 1 }, movement: 'up' }]);
    expect(verdictOf(up)).toBe('improved');
    expect(verdictOf(suggestionCells([cell(0, 2, 0)], [cell(0, 2, 0)], 2))).toBe('unchanged');
    expect(verdictOf(suggestionCells([cell(1, 2, 0)], [cell(0, 2, 0)], 2))).toBe('worse');
    expect(verdictOf([...suggestionCells([cell(0, 2, 0)], [cell(2, 2, 1)], 2), ...suggestionCells([cell(2, 2, 1)], [cell(1, 2, 0)], 2)])).toBe('worse');
    // A cell with no figure after (every trial an error) does not count as a move.
    expect(verdictOf(suggestionCells([cell(0, 2, 0)], [cell(0, 0, 0)], 2))).toBe('unchanged');
  });
});
