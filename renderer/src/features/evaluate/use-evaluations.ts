import { useEffect, useRef, useState } from 'react';
import type { SuggestionSet } from '../../../../shared/evaluation-suggestions';
import type { EvaluationComparison, EvaluationReport, EvaluationSummary, RunTrendPoint } from '../../../../shared/evaluations';
import { apiClient, useConnection } from '../../stores/connection';
import { useView } from '../../stores/view';

/** Reads again after `evaluation.changed` at most this often (a fast evaluation changes many times a second). */
const REFRESH_MS = 150;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Loads something and loads it again whenever an evaluation (or its suggestions) changes (`matches` picks the
 * changes that concern it), coalesced; keeps the last good value while a read is on its way.
 */
function useLive<T>(load: (() => Promise<T>) | null, matches: (id: string) => boolean, deps: unknown[]): { value: T | null; error: string | null } {
  const client = useConnection((s) => s.client);
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setValue(null);
    setError(null);
    if (!load || !client) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = () => {
      timer = null;
      load().then(
        (v) => alive && (setValue(v), setError(null)),
        (e: unknown) => alive && setError(messageOf(e)),
      );
    };
    read();
    const changed = ({ id }: { id: string }) => {
      if (matches(id) && timer === null) timer = setTimeout(read, REFRESH_MS);
    };
    const offs = [client.on('evaluation.changed', changed), client.on('evaluation.suggestionsChanged', changed)];
    return () => {
      alive = false;
      for (const off of offs) off();
      if (timer) clearTimeout(timer);
    };
  }, [client, ...deps]);
  return { value, error };
}

/** An evaluation's report, live: the grid fills as its trials end. */
export const useEvaluationReport = (id: string | null) =>
  useLive<EvaluationReport>(id ? () => apiClient()['evaluation.get']({ id }) : null, (changed) => changed === id, [id]);

/** A runbook's dashboard: its evaluations and its runs per day, live. */
export const useRunbookDashboard = (place: { collection: string; task: string } | null) =>
  useLive<{ evaluations: EvaluationSummary[]; runs: RunTrendPoint[] }>(
    place ? () => apiClient()['evaluation.dashboard']({ collection: place.collection, task: place.task, days: 90 }) : null,
    () => true,
    [place?.collection, place?.task],
  );

/** Two evaluations compared, live while either runs. */
export const useComparison = (pair: { left: string; right: string } | null) =>
  useLive<EvaluationComparison>(pair ? () => apiClient()['evaluation.compare'](pair) : null, (id) => id === pair?.left || id === pair?.right, [pair?.left, pair?.right]);

/** An evaluation's suggestion sets, live: read again as a set moves on and as its edits' evaluations fill. */
export function useSuggestions(id: string) {
  const evaluating = useRef(new Set<string>());
  const live = useLive<SuggestionSet[]>(() => apiClient()['evaluation.suggestions']({ id }), (changed) => changed === id || evaluating.current.has(changed), [id]);
  evaluating.current = new Set((live.value ?? []).flatMap((set) => set.suggestions.flatMap((s) => (s.reevaluation_id ? [s.reevaluation_id] : []))));
  return live;
}

/** Opens an evaluation in the Evaluate view, keeping the runbook picked there. */
export function useOpenEvaluation(): (id: string) => void {
  const show = useView((s) => s.show);
  const view = useView((s) => s.view);
  return (id) => show({ name: 'evaluate', runbook: view.name === 'evaluate' ? view.runbook : null, evaluation: id, compare: null });
}
