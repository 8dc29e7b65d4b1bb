import type { ReactNode } from 'react';
import type { Trajectory } from '../../../../shared/trajectory';
import { StatusPill } from '../../components/StatusPill';
import { useView } from '../../stores/view';
import { ArtifactList } from '../artifacts/ArtifactList';
import { EvaluationSummary } from '../trajectories/EvaluationSummary';
import { useElapsed } from './use-elapsed';
import './run-truth.css';

/** Required output files the run left out (the runbook's output table, checked when the run ended). */
function missingOutputs(trajectory: Trajectory): string[] {
  const missing = (trajectory.steps.evaluate?.outputs as { missing_outputs?: unknown } | undefined)?.missing_outputs;
  return Array.isArray(missing) ? missing.filter((f): f is string => typeof f === 'string') : [];
}

/** A run's status line (status, elapsed, tokens), its log (children) and, once it ended, its evaluation and results. */
export function RunStatus({ trajectory, liveTokens, progress, children }: { trajectory: Trajectory; liveTokens: number; progress: string | null; children: ReactNode }) {
  const elapsed = useElapsed(trajectory);
  const show = useView((s) => s.show);
  const ended = !['running', 'pending'].includes(trajectory.status);
  const tokens = trajectory.usage?.total_tokens || liveTokens;
  const missing = missingOutputs(trajectory);
  // A failed run's error is the news; "no evaluation" beside it is noise.
  const showEvaluation = trajectory.evaluation !== null || trajectory.status === 'completed';
  return (
    <>
      <div className="run-status" role="status" aria-live="polite">
        <StatusPill status={trajectory.status} />
        <span className="muted">
          <span className="run-id">{trajectory.id}</span> · <span data-elapsed>{elapsed}</span> · {tokens.toLocaleString()} tokens
        </span>
        {ended && (
          <button type="button" className="button button-small" onClick={() => show({ name: 'replay', id: trajectory.id })}>
            Open replay
          </button>
        )}
      </div>
      {trajectory.error && <p className="notice notice-error run-error">{trajectory.error}</p>}
      {progress && !ended && (
        <p className="muted small run-progress" role="status">
          Preparing the sandbox image: {progress}
        </p>
      )}
      {children}
      {missing.length > 0 && (
        <div className="notice notice-warning missing-outputs" role="alert">
          The run did not write {missing.length === 1 ? 'a required output file' : `${missing.length} required output files`} its runbook lists:{' '}
          {missing.map((f, i) => (
            <span key={f}>
              {i > 0 && ', '}
              <code>{f}</code>
            </span>
          ))}
        </div>
      )}
      {ended && (
        <div className="run-results">
          {showEvaluation && <EvaluationSummary evaluation={trajectory.evaluation} />}
          <h3 className="section-title">Results</h3>
          <ArtifactList trajectoryId={trajectory.id} artifacts={trajectory.artifacts} />
        </div>
      )}
    </>
  );
}
