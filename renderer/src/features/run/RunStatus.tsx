import type { ReactNode } from 'react';
import type { Trajectory } from '../../../../shared/trajectory';
import { EvaluationBadge } from '../../components/EvaluationBadge';
import { StatusPill } from '../../components/StatusPill';
import { useView } from '../../stores/view';
import { ArtifactList } from '../artifacts/ArtifactList';
import { EvaluationSummary } from '../trajectories/EvaluationSummary';
import { useElapsed } from './use-elapsed';
import './run-truth.css';

/** A run's status line (status, then its evaluation once it ended, elapsed, tokens), its log (children) and, once it ended, its evaluation (missing required outputs included) and results. */
export function RunStatus({ trajectory, liveTokens, progress, children }: { trajectory: Trajectory; liveTokens: number; progress: string | null; children: ReactNode }) {
  const elapsed = useElapsed(trajectory);
  const show = useView((s) => s.show);
  const ended = !['running', 'pending'].includes(trajectory.status);
  const tokens = trajectory.usage?.total_tokens || liveTokens;
  // A failed run's error is the news; "no evaluation" beside it is noise.
  const showEvaluation = trajectory.evaluation !== null || trajectory.status === 'completed';
  return (
    <>
      <div className="run-status" role="status" aria-live="polite">
        <StatusPill status={trajectory.status} />
        {ended && showEvaluation && <EvaluationBadge evaluation={trajectory.evaluation} />}
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
      {ended && (
        <div className="run-results">
          {showEvaluation && (
            <>
              <h3 className="section-title">Evaluation</h3>
              <EvaluationSummary evaluation={trajectory.evaluation} />
            </>
          )}
          <h3 className="section-title">Results</h3>
          <ArtifactList trajectoryId={trajectory.id} artifacts={trajectory.artifacts} />
        </div>
      )}
    </>
  );
}
