import { useState } from 'react';
import type { Trajectory } from '../../../../shared/trajectory';
import { apiClient } from '../../stores/connection';
import { useSelection } from '../../stores/selection';
import { useView } from '../../stores/view';
import { useParamDrafts } from './param-drafts';
import { rerunValues } from './rerun-values';

/**
 * Re-run: opens the run panel of the trajectory's runbook with its parameters and kept input
 * files filled in, to edit and run. Says so when the runbook is no longer in an open folder.
 */
export function RerunButton({ trajectory }: { trajectory: Trajectory }) {
  const [problem, setProblem] = useState<string | null>(null);
  if (trajectory.kind !== 'runbook') return null;
  async function rerun() {
    setProblem(null);
    try {
      const inputs = await apiClient()['run.inputs']({ trajectoryId: trajectory.id });
      if (!inputs.runbookPath) {
        setProblem(`The runbook this trajectory ran (${trajectory.collection}/${trajectory.task}) is not in an open folder any more: open its folder to run it again.`);
        return;
      }
      const values = rerunValues(trajectory.init_params, inputs.files);
      useParamDrafts.setState((s) => ({ byRunbook: { ...s.byRunbook, [inputs.runbookPath!]: values } }));
      useParamDrafts.getState().setRerunOf(inputs.runbookPath, trajectory.id);
      useSelection.getState().select(inputs.runbookPath);
      useView.getState().show({ name: 'runbooks' });
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <>
      <button type="button" className="button" onClick={() => void rerun()} title="Open the run panel with this run's parameters and files, to edit and run again">
        Re-run…
      </button>
      {problem && (
        <p className="notice notice-error rerun-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
