import { useEffect, useState } from 'react';
import type { RunPlan } from '../../../../shared/contract';
import type { RunbookAnalysis } from '../../../../shared/runbook';
import { apiClient } from '../../stores/connection';
import { useSettings } from '../../stores/settings';

/** What a run of the runbook would use now (the engine's `run.plan`, with this run's `image` if any), reloaded with the analysis and Settings. */
export function useRunPlan(path: string, analysis: RunbookAnalysis | null, image?: string) {
  const [plan, setPlan] = useState<RunPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const settings = useSettings((s) => s.settings);
  useEffect(() => {
    if (!analysis) return;
    let current = true;
    apiClient()
      ['run.plan']({ runbookPath: path, image })
      .then((p) => current && (setPlan(p), setError(null)))
      .catch((err: unknown) => current && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      current = false;
    };
  }, [path, analysis, settings, image]);
  return { plan, error };
}
