import { useState } from 'react';
import { percent } from '../../../../shared/evaluation-stats';
import type { Suggestion, SuggestionCell, SuggestionSet } from '../../../../shared/evaluation-suggestions';
import { apiClient } from '../../stores/connection';
import { useView } from '../../stores/view';
import { LineDiff } from '../compare/LineDiff';
import { useOpenEvaluation, useSuggestions } from './use-evaluations';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const LENS_NAMES: Record<string, string> = {
  consistent_failures: 'Consistent failures',
  wasted_iterations: 'Wasted iterations',
  timeouts: 'Timeouts',
  divergent_behaviour: 'Divergent behaviour',
  missing_guardrails: 'Missing guardrails',
};
const MOVE_MARKS: Record<SuggestionCell['movement'], string> = { up: '▲', down: '▼', same: '=' };
const VERDICTS = { improved: '▲ improved', unchanged: '= unchanged', worse: '▼ worse' } as const;

/** Where a set stands, in words: analysing, or its edits' evaluations' trials so far. */
function progressText(set: SuggestionSet): string {
  if (set.state === 'analyzing') return `Analysing the failed trials with ${set.model}…`;
  const kept = set.suggestions.filter((s) => s.state === 'evaluating' || s.state === 'evaluated');
  const ended = kept.reduce((n, s) => n + (s.state === 'evaluated' ? set.trials_per_edit : (s.progress?.ended ?? 0)), 0);
  return `Evaluating ${kept.length} edit${kept.length === 1 ? '' : 's'}: ${ended}/${kept.length * set.trials_per_edit} trials`;
}

/** Before → after per cell: pass^k (and the pass rate), each move marked. */
function Figures({ cells }: { cells: SuggestionCell[] }) {
  const k = cells[0]?.k ?? 1;
  return (
    <table className="table eval-suggestion-figures">
      <thead>
        <tr>
          <th>Cell</th>
          <th className="num">pass^{k} before</th>
          <th className="num">pass^{k} after</th>
          <th className="num">pass rate</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {cells.map((c) => (
          <tr key={c.label} data-cell={c.label} data-movement={c.movement}>
            <td>{c.label}</td>
            <td className="num">
              {percent(c.before.pass_hat_k)} <span className="muted small">({c.before.passed}/{c.before.trials})</span>
            </td>
            <td className="num">
              <strong>{percent(c.after.pass_hat_k)}</strong> <span className="muted small">({c.after.passed}/{c.after.trials})</span>
            </td>
            <td className="num">
              {percent(c.before.pass_rate)} → {percent(c.after.pass_rate)}
            </td>
            <td>
              <span className="eval-suggestion-move" data-movement={c.movement} title={`pass^${c.k}`}>
                {MOVE_MARKS[c.movement]}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Apply to RUNBOOK.md", confirmed in place; a conflict (the file changed) is said as the engine says it. */
function ApplyButton({ set, suggestion }: { set: SuggestionSet; suggestion: Suggestion }) {
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const apply = () =>
    void apiClient()
      ['evaluation.applySuggestion']({ set: set.id, number: suggestion.number })
      .then(
        () => setResult({ ok: true, text: 'Written to RUNBOOK.md. Evaluate it again to see it hold.' }),
        (error: unknown) => setResult({ ok: false, text: messageOf(error) }),
      )
      .finally(() => setConfirming(false));
  return (
    <div className="eval-suggestion-apply">
      {confirming ? (
        <>
          <span className="small">Replace the passage in RUNBOOK.md with this edit?</span>
          <button type="button" className="button button-small button-primary" onClick={apply}>
            Apply
          </button>
          <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="button button-small" onClick={() => (setResult(null), setConfirming(true))}>
          Apply to RUNBOOK.md
        </button>
      )}
      {result && (
        <p className={`notice ${result.ok ? 'eval-suggestion-applied' : 'notice-error'} small`} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
    </div>
  );
}

function SuggestionCard({ set, suggestion: s }: { set: SuggestionSet; suggestion: Suggestion }) {
  const show = useView((v) => v.show);
  const openEvaluation = useOpenEvaluation();
  const itsEvaluation = s.reevaluation_id && (
    <button type="button" className="link-button eval-suggestion-open" onClick={() => openEvaluation(s.reevaluation_id!)}>
      Open its evaluation
    </button>
  );
  return (
    <article className="eval-suggestion" data-number={s.number} data-state={s.state} data-verdict={s.verdict ?? ''} aria-label={`Suggestion ${s.number}: ${s.title}`}>
      <header className="eval-suggestion-header">
        <span className="eval-lens" data-lens={s.lens}>
          {LENS_NAMES[s.lens] ?? s.lens}
        </span>
        <h4>{s.title}</h4>
        {s.verdict && (
          <span className="eval-suggestion-verdict" data-verdict={s.verdict}>
            {VERDICTS[s.verdict]}
          </span>
        )}
      </header>
      <p className="eval-suggestion-rationale">{s.rationale}</p>
      <div className="eval-suggestion-evidence small">
        <span className="muted">Evidence:</span>
        {s.evidence.map((e) => (
          <button key={`${e.trajectory_id}/${e.step}`} type="button" className="link-button" onClick={() => show({ name: 'replay', id: e.trajectory_id, seq: e.step })}>
            <code>{e.trajectory_id}</code> step {e.step}
          </button>
        ))}
      </div>
      <LineDiff before={s.find} after={s.replace} label={`The edit of suggestion ${s.number}`} />
      {s.state === 'evaluating' && (
        <p className="muted small" role="status">
          Evaluating the edit{s.progress ? `: ${s.progress.ended}/${s.progress.total} trials` : '…'} — offered once its figures are in. {itsEvaluation}
        </p>
      )}
      {s.state === 'failed' && <p className="notice notice-error small">Not evaluated: {s.reason}</p>}
      {s.state === 'evaluated' && (
        <>
          <Figures cells={s.cells} />
          {itsEvaluation && <p className="small eval-suggestion-trials">{itsEvaluation}: its trials and their replays</p>}
          <ApplyButton set={set} suggestion={s} />
        </>
      )}
    </article>
  );
}

/** The latest suggestion set of an evaluation: progress, each evaluated edit with its before → after, the dropped ones with why. */
function SuggestionSetView({ set }: { set: SuggestionSet }) {
  const offered = set.suggestions.filter((s) => s.state !== 'dropped');
  const dropped = set.suggestions.filter((s) => s.state === 'dropped');
  return (
    <div className="eval-suggestion-set" data-set={set.id} data-state={set.state}>
      {(set.state === 'analyzing' || set.state === 'evaluating') && (
        <p className="eval-suggestion-progress" role="status">
          {progressText(set)}
        </p>
      )}
      {set.state === 'failed' && <p className="notice notice-error">Suggesting fixes failed: {set.error}</p>}
      {set.state === 'ready' && offered.length === 0 && (
        <p className="placeholder eval-suggestion-empty">The analysis proposed no edit that could be evaluated{dropped.length ? ': every proposal was dropped (below).' : '.'}</p>
      )}
      {offered.map((s) => (
        <SuggestionCard key={s.number} set={set} suggestion={s} />
      ))}
      {dropped.length > 0 && (
        <details className="eval-suggestion-dropped" open={offered.length === 0}>
          <summary className="small">
            {dropped.length} proposal{dropped.length === 1 ? '' : 's'} dropped
          </summary>
          <ul className="small">
            {dropped.map((s) => (
              <li key={s.number} data-number={s.number}>
                <strong>{s.title || 'untitled'}</strong>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** "Suggest fixes" on an ended evaluation with failures: the button, then its latest set live. */
export function SuggestionsPanel({ id, canSuggest, firstModel }: { id: string; canSuggest: boolean; firstModel: string | null }) {
  const { value: sets, error } = useSuggestions(id);
  const [actionError, setActionError] = useState<string | null>(null);
  const [model, setModel] = useState('');
  const latest = sets?.[0] ?? null;
  const busy = latest !== null && (latest.state === 'analyzing' || latest.state === 'evaluating');
  if (!canSuggest && !latest) return null;
  const suggest = () =>
    void apiClient()
      ['evaluation.suggest']({ id, model: model.trim() || undefined })
      .then(
        () => setActionError(null),
        (err: unknown) => setActionError(messageOf(err)),
      );
  return (
    <section className="eval-card eval-suggestions" aria-label="Suggested fixes">
      <header className="eval-card-header">
        <h3>Suggested fixes</h3>
        <span className="muted small">An analysis of the failed trials proposes RUNBOOK.md edits; each is evaluated before it is offered.</span>
        {canSuggest && (
          <span className="eval-suggest-actions">
            <input className="text-input" aria-label="Model of the analysis" placeholder={firstModel ?? 'default model'} value={model} onChange={(e) => setModel(e.target.value)} />
            <button type="button" className="button button-small" disabled={busy} onClick={suggest}>
              {latest ? 'Suggest again' : 'Suggest fixes'}
            </button>
          </span>
        )}
      </header>
      {error && <p className="notice notice-error">{error}</p>}
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}
      {latest ? <SuggestionSetView set={latest} /> : <p className="muted small">No suggestions yet.</p>}
    </section>
  );
}
