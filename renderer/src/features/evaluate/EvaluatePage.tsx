import './evaluate.css';
import { useId } from 'react';
import { useSelection } from '../../stores/selection';
import { useView, type View } from '../../stores/view';
import { useWorkspaces } from '../../stores/workspaces';
import { CompareEvaluations } from './CompareEvaluations';
import { EvaluationDetail } from './EvaluationDetail';
import { NewEvaluationForm } from './NewEvaluationForm';
import { RunbookDashboard } from './RunbookDashboard';

type EvaluateView = Extract<View, { name: 'evaluate' }>;

/** The runbook the screen showed last: the Evaluate tab comes back to it. */
let lastRunbook: string | null = null;

/**
 * The Evaluate screen, for one runbook of the open folders: start an evaluation (its matrix,
 * trials, concurrency), watch one fill its grid live and open its cells' trials, the
 * runbook's dashboard over time and versions, and two evaluations compared.
 */
export function EvaluatePage({ view }: { view: EvaluateView }) {
  const id = useId();
  const show = useView((s) => s.show);
  const selected = useSelection((s) => s.path);
  const runbooks = useWorkspaces((s) => s.workspaces)
    .flatMap((w) => w.runbooks)
    .filter((r) => r.kind !== 'workflow');
  const known = (path: string | null) => runbooks.find((r) => r.path === path)?.path;
  const runbook = view.runbook ?? known(lastRunbook) ?? known(selected) ?? runbooks[0]?.path ?? null;
  lastRunbook = runbook;
  const entry = runbooks.find((r) => r.path === runbook) ?? null;
  const go = (patch: Partial<EvaluateView>) => show({ ...view, runbook, ...patch });

  return (
    <main className="content page evaluate-page" aria-label="Evaluate">
      <header className="page-header">
        <h1>Evaluate</h1>
        <div className="filter eval-runbook-picker">
          <label htmlFor={`${id}-runbook`}>Runbook</label>
          <select id={`${id}-runbook`} className="text-input" value={runbook ?? ''} onChange={(e) => show({ name: 'evaluate', runbook: e.target.value || null, evaluation: null, compare: null })}>
            {runbooks.length === 0 && <option value="">Open a folder with runbooks first</option>}
            {runbooks.map((r) => (
              <option key={r.path} value={r.path}>
                {r.collection}/{r.name}
              </option>
            ))}
          </select>
        </div>
      </header>
      {!entry ? (
        <div className="empty-state">
          <h2>No runbook to evaluate</h2>
          <p>Open a folder with runbooks (the field at the top right), then pick one here.</p>
        </div>
      ) : (
        <>
          {(view.evaluation || view.compare) && (
            <button type="button" className="back-link" onClick={() => go({ evaluation: null, compare: null })}>
              ← {entry.collection}/{entry.name}: all evaluations
            </button>
          )}
          {view.compare ? (
            <CompareEvaluations left={view.compare.left} right={view.compare.right} />
          ) : view.evaluation ? (
            <EvaluationDetail key={view.evaluation} id={view.evaluation} />
          ) : (
            <div className="eval-columns">
              <NewEvaluationForm key={entry.path} runbookPath={entry.path} onStarted={(started) => go({ evaluation: started, compare: null })} />
              <RunbookDashboard place={{ collection: entry.collection, task: entry.name }} open={(evaluation) => go({ evaluation, compare: null })} compare={(left, right) => go({ evaluation: null, compare: { left, right } })} />
            </div>
          )}
        </>
      )}
    </main>
  );
}
