import type { WorkflowRunView } from '../../../shared/contract';
import type { Store } from '../store';

/** At most this many events are read for a run's retries (a page of 10,000 at a time). */
const MAX_EVENTS = 100_000;
const PAGE = 10_000;

type RetryNote = WorkflowRunView['steps'][number]['retries'][number];

/** Each step's retried attempts, from its `retry` events (older `retrying` progress events read as those). */
function retriesByStep(store: Store, id: string): Map<string, RetryNote[]> {
  const byStep = new Map<string, RetryNote[]>();
  for (let afterSeq = 0, read = 0; read < MAX_EVENTS; read += PAGE) {
    const page = store.listEvents(id, { afterSeq, limit: PAGE });
    for (const e of page) {
      if (e.type !== 'retry' || !e.step) continue;
      const note = { attempt: e.payload.attempt, error: e.payload.error, delay_ms: e.payload.delay_ms };
      byStep.set(e.step, [...(byStep.get(e.step) ?? []), note]);
    }
    if (page.length < PAGE) break;
    afterSeq = page[page.length - 1].seq;
  }
  return byStep;
}

const configOf = (document: Record<string, unknown>, step: string): Record<string, unknown> => {
  const configs = document.step_configs as Record<string, Record<string, unknown>> | undefined;
  return configs?.[step] ?? {};
};

/**
 * A journaled workflow run for the step graph: every step of its document in order (those
 * not started yet as `pending`), with status, attempt, timing, inputs, outputs and retried
 * attempts; and the children its fan-out steps started. Null when `id` is no workflow run.
 */
export function workflowRunView(store: Store, id: string): WorkflowRunView | null {
  const journal = store.workflowJournal();
  const run = journal.getRun(id);
  const trajectory = run && store.getTrajectory(id);
  if (!run || !trajectory) return null;
  const journaled = journal.steps(id);
  const retries = retriesByStep(store, id);
  const names = Array.isArray(run.document.steps) ? run.document.steps.filter((s): s is string => typeof s === 'string') : [...journaled.keys()];
  return {
    id,
    collection: run.collection,
    task: run.task,
    status: trajectory.status,
    error: trajectory.error ?? null,
    parent: run.parent,
    steps: names.map((name) => {
      const step = journaled.get(name);
      return {
        name,
        activity: String(configOf(run.document, name).activity ?? ''),
        status: step?.status ?? 'pending',
        skipped: step?.status === 'cancelled' && step.outputs.skipped === true,
        attempt: step?.attempt ?? 0,
        error: step?.error ?? null,
        started_at: step?.started_at ?? null,
        ended_at: step?.ended_at ?? null,
        inputs: step?.inputs ?? {},
        outputs: step?.outputs ?? {},
        retries: retries.get(name) ?? [],
      };
    }),
    children: journal.children(id).map((child) => ({ id: child.id, step: child.parent!.step, index: child.parent!.index, status: child.status })),
  };
}
