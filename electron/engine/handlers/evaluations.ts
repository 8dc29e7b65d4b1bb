import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import { compareEvaluations, evaluationReport, EvaluationRequestError, listSummaries, runbookDashboard, SuggestionError, type EvaluationService, type SuggestionService } from '../evaluations';
import { StoreError, type Store } from '../store';
import type { RunbookPathCheck } from '../workspace/runbook-roots';

/** Errors of an evaluation call as the UI shows them: a request that cannot start, an unknown evaluation. */
async function evaluationCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof EvaluationRequestError) throw new ApiError('invalid_input', error.message);
    if (error instanceof SuggestionError) throw new ApiError('invalid_input', error.message);
    if (error instanceof StoreError && error.code === 'not_found') throw new ApiError('not_found', error.message);
    throw error;
  }
}

/**
 * Evaluations of runbooks in the open folders: start, read, cancel, re-run failures, compare,
 * a runbook's dashboard; suggest fixes and apply one (`save`: the workspace's checked write).
 */
export function evaluationHandlers(deps: { evaluations: EvaluationService; suggestions: SuggestionService; store: Store; readable: RunbookPathCheck; save(file: string, text: string): Promise<unknown> }) {
  const stored = () => deps.store.evaluations();
  return {
    'evaluation.start': async (input) => {
      const runbookPath = await deps.readable(input.runbookPath);
      return evaluationCall(async () => ({ id: (await deps.evaluations.start({ ...input, runbookPath })).id }));
    },
    'evaluation.get': async ({ id }) => evaluationCall(() => evaluationReport(stored(), id)),
    'evaluation.list': async ({ collection, task, limit }) => listSummaries(stored(), { collection, task, limit: limit ?? 50 }),
    'evaluation.cancel': async ({ id }) => evaluationCall(() => {
      stored().require(id);
      return { cancelled: deps.evaluations.cancel(id) };
    }),
    'evaluation.rerunFailures': async ({ id, repeats }) => evaluationCall(() => ({ added: deps.evaluations.rerunFailures(id, repeats ?? 2).added })),
    'evaluation.compare': async ({ left, right }) => evaluationCall(() => compareEvaluations(stored(), left, right)),
    'evaluation.dashboard': async ({ collection, task, days }) => runbookDashboard(stored(), collection, task, days ?? 90),
    'evaluation.suggest': async ({ id, model }) => evaluationCall(async () => ({ set: (await deps.suggestions.suggest(id, model)).set })),
    'evaluation.suggestions': async ({ id }) => evaluationCall(() => deps.suggestions.list(id)),
    'evaluation.applySuggestion': async ({ set, number }) => evaluationCall(() => deps.suggestions.apply(set, number, deps.save)),
  } satisfies Partial<Api>;
}
