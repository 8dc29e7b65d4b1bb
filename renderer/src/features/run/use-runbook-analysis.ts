import { useCallback, useEffect, useState } from 'react';
import type { RunbookAnalysis } from '../../../../shared/runbook';
import { apiClient, useConnection } from '../../stores/connection';
import { useEditor } from '../../stores/editor';

/** The saved runbook's analysis (parameters, secrets, settings), reloaded after saves and outside edits. */
export function useRunbookAnalysis(path: string) {
  const [analysis, setAnalysis] = useState<RunbookAnalysis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saving = useEditor((s) => s.saving);
  const client = useConnection((s) => s.client);

  const load = useCallback(() => {
    apiClient()
      ['runbook.lint']({ path })
      .then((a) => {
        setAnalysis(a);
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [path]);

  useEffect(() => {
    if (!saving) load();
  }, [saving, load]);
  useEffect(() => client?.on('runbook.changed', (e) => e.path === path && load()), [client, path, load]);
  return { analysis, error };
}
