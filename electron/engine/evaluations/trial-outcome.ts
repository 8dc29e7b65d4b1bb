import { evaluationVerdict, reportStages } from '../../../shared/evaluation';
import type { Trajectory } from '../../../shared/trajectory';
import type { TrialEnd } from '../store';

/** A trial's run's last model call, as its `model_call` event says. */
export interface LastCall {
  http_status: number | null;
  error: string | null;
}

/** Tokens and cost of a trial's model calls (the gateway's `model_call` events). */
export interface CallTotals {
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** A provider's answer that is not the agent's doing: server errors, rate limits, refused keys, timeouts, a connection that failed (no status). */
const providerTrouble = (call: LastCall | null): boolean =>
  call !== null && call.error !== null && (call.http_status === null || call.http_status >= 500 || [401, 403, 408, 429].includes(call.http_status));

/**
 * Why a failed run failed: infrastructure (its sandbox did not come up, its provider failed,
 * it timed out, a crash interrupted it) or the runbook's own failure (the agent gave up,
 * reached its turn limit, spent its budget). A Docker hiccup is not the runbook failing.
 */
export function failureKind(t: Trajectory, lastCall: LastCall | null): { outcome: 'error' | 'failed'; kind: string } {
  const error = t.error ?? '';
  if (error === 'interrupted' || error.startsWith('interrupted:')) return { outcome: 'error', kind: 'interrupted' };
  if (t.steps.sandbox?.status !== 'completed' || /CLI, which is not installed in the sandbox image/.test(error)) return { outcome: 'error', kind: 'sandbox' };
  if (/^timed out after /.test(error)) return { outcome: 'error', kind: 'timeout' };
  if (/^budget exceeded/.test(error)) return { outcome: 'failed', kind: 'budget' };
  if (providerTrouble(lastCall)) return { outcome: 'error', kind: 'provider' };
  return { outcome: 'failed', kind: 'agent' };
}

/**
 * How a trial ended, from its run: completed → its evaluation's verdict (a run that gives
 * none counts as failed: `no_verdict`); failed → infrastructure error or the runbook's
 * failure (`failureKind`); cancelled. Stages come from validation_report.json as kept.
 */
export function trialEnd(t: Trajectory, calls: CallTotals, lastCall: LastCall | null): TrialEnd {
  const duration = t.started_at && t.ended_at ? Math.max(0, Date.parse(t.ended_at) - Date.parse(t.started_at)) : null;
  const base = { stages: reportStages(t.evaluation?.report), duration_ms: duration, ...calls };
  if (t.status === 'completed') {
    const verdict = evaluationVerdict(t.evaluation);
    if (verdict === 'passed') return { ...base, outcome: 'passed', error_kind: null, error: null };
    const why = verdict === 'failed' ? { kind: 'verdict', error: failedChecks(t) } : { kind: 'no_verdict', error: 'the run gave no verdict (no validation_report.json, or one without overall_passed)' };
    return { ...base, outcome: 'failed', error_kind: why.kind, error: why.error };
  }
  if (t.status === 'failed') {
    const { outcome, kind } = failureKind(t, lastCall);
    return { ...base, outcome, error_kind: kind, error: t.error ?? 'failed' };
  }
  return { ...base, outcome: 'cancelled', error_kind: null, error: null };
}

/** A trial that never got a run: its start was refused (the runbook, a parameter, a key, the remote). */
export function startFailure(kind: string, message: string): TrialEnd {
  return { outcome: 'error', error_kind: kind, error: message, stages: [], duration_ms: null, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
}

/** What failed in a completed run's evaluation: the first stage that did not pass, or the missing files. */
function failedChecks(t: Trajectory): string {
  const missing = t.evaluation?.missing_outputs ?? [];
  const stage = reportStages(t.evaluation?.report).find((s) => s.outcome !== 'pass');
  if (stage) return `${stage.name}: ${stage.outcome}${stage.message ? ` (${stage.message})` : ''}`;
  if (missing.length > 0) return `missing required output: ${missing.join(', ')}`;
  return 'the evaluation failed';
}
