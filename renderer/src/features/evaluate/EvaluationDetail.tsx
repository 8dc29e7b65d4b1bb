import { useState } from 'react';
import { percent } from '../../../../shared/evaluation-stats';
import type { CellReport, EvaluationReport, SuggestionOf } from '../../../../shared/evaluations';
import { apiClient } from '../../stores/connection';
import { useView } from '../../stores/view';
import { dollars, gridRows, seconds, SQUARE_MARKS, type Square } from './grid';
import { SuggestionsPanel } from './SuggestionsPanel';
import { useEvaluationReport, useOpenEvaluation } from './use-evaluations';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function GridSquare({ square, open }: { square: Square; open(square: Square): void }) {
  return (
    <button type="button" className="eval-square" data-state={square.state} title={square.label} aria-label={square.label} onClick={() => open(square)}>
      <span aria-hidden="true">{SQUARE_MARKS[square.state]}</span>
    </button>
  );
}

/** The live grid: a row per cell, a square per trial, filling as trials end; a row opens its cell. */
function TrialGrid({ report, openCell, selected }: { report: EvaluationReport; openCell(cell: number): void; selected: number | null }) {
  const show = useView((s) => s.show);
  const open = (square: Square) => (square.trial.trajectory_id && square.trial.state === 'ended' ? show({ name: 'replay', id: square.trial.trajectory_id }) : openCell(square.trial.cell));
  return (
    <div className="eval-grid" role="table" aria-label="Trials by cell">
      {gridRows(report).map((row) => (
        <div key={row.cell} role="row" className={`eval-grid-row${selected === row.cell ? ' is-selected' : ''}`} data-cell={row.cell}>
          <div role="rowheader" className="eval-grid-label">
            <button type="button" className="link-button" onClick={() => openCell(row.cell)}>
              {row.label}
            </button>
          </div>
          <div role="cell" className="eval-squares">
            {row.squares.map((s) => (
              <GridSquare key={s.key} square={s} open={open} />
            ))}
            {row.reruns.length > 0 && (
              <span className="eval-reruns" aria-label="Re-runs of failures">
                <span className="muted small">re-runs</span>
                {row.reruns.map((s) => (
                  <GridSquare key={s.key} square={s} open={open} />
                ))}
              </span>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}

const interval = (c: CellReport) => (c.interval ? `${percent(c.interval.low)}–${percent(c.interval.high)}` : '');
const kinds = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');

/** Each cell's figures: pass rate with its interval, pass@k and pass^k, stages (the flaky one marked), durations, tokens, cost, errors by kind. */
function FiguresTable({ report, openCell }: { report: EvaluationReport; openCell(cell: number): void }) {
  const k = Math.max(1, ...report.cells.map((c) => Object.keys(c.pass_at_k).length));
  return (
    <table className="table eval-figures">
      <thead>
        <tr>
          <th>Cell</th>
          <th className="num">Passed</th>
          <th className="num">Pass rate (95%)</th>
          <th className="num">pass@{k}</th>
          <th className="num">pass^{k}</th>
          <th>Stages</th>
          <th className="num">p50 / p90</th>
          <th className="num">Tokens</th>
          <th className="num">Cost</th>
          <th>Errors (not counted)</th>
        </tr>
      </thead>
      <tbody>
        {report.cells.map((c) => (
          <tr key={c.cell} data-cell={c.cell}>
            <td>
              <button type="button" className="link-button" onClick={() => openCell(c.cell)}>
                {c.label}
              </button>
            </td>
            <td className="num">
              {c.passed}/{c.trials}
            </td>
            <td className="num" data-pass-rate={c.pass_rate ?? ''}>
              <strong>{percent(c.pass_rate)}</strong> <span className="muted small">{interval(c)}</span>
            </td>
            <td className="num">{percent(c.pass_at_k[k])}</td>
            <td className="num">{percent(c.pass_hat_k[k])}</td>
            <td>
              <ul className="eval-stages">
                {c.stages.map((s) => (
                  <li key={s.name} data-stage={s.name} data-state={s.state}>
                    <span className="eval-stage-name">
                      {s.name}
                      {s.name === c.flaky_stage && <span className="eval-flaky-tag">flaky</span>}
                    </span>{' '}
                    <span className="muted">
                      {s.passed}/{s.ran}
                      {s.state === 'broken' ? ' broken' : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </td>
            <td className="num">
              {seconds(c.duration_ms.p50)} / {seconds(c.duration_ms.p90)}
            </td>
            <td className="num">{(c.tokens.input + c.tokens.output).toLocaleString()}</td>
            <td className="num">{dollars(c.cost_usd)}</td>
            <td className="small">
              {c.errors === 0 && c.cancelled === 0 ? <span className="muted">none</span> : [kinds(c.errors_by_kind.infrastructure), c.cancelled ? `${c.cancelled} cancelled` : ''].filter(Boolean).join(', ')}
              {c.reruns.trials > 0 && (
                <div className="eval-rerun-note">
                  re-runs {c.reruns.passed}/{c.reruns.trials} passed: {c.reruns.systematic} systematic, {c.reruns.flaky} flaky{c.reruns.pending ? `, ${c.reruns.pending} to run` : ''}
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One cell's trials, each opening its run's replay. */
function CellTrials({ report, cell, close }: { report: EvaluationReport; cell: number; close(): void }) {
  const show = useView((s) => s.show);
  const c = report.cells[cell];
  const trials = report.trials.filter((t) => t.cell === cell).sort((a, b) => a.case - b.case || a.trial - b.trial);
  return (
    <section className="eval-card eval-cell-trials" aria-label={`Trials of ${c.label}`}>
      <header className="eval-card-header">
        <h3>
          Trials of <span className="eval-cell-name">{c.label}</span>
        </h3>
        <button type="button" className="button button-small button-quiet" onClick={close}>
          Close
        </button>
      </header>
      <table className="table">
        <thead>
          <tr>
            <th>Trial</th>
            <th>Outcome</th>
            <th>Stages</th>
            <th className="num">Duration</th>
            <th className="num">Cost</th>
            <th>Run</th>
          </tr>
        </thead>
        <tbody>
          {trials.map((t) => (
            <tr key={`${t.case}/${t.trial}`} data-trial={t.trial} data-outcome={t.outcome ?? t.state}>
              <td>
                {report.evaluation.cases.length > 1 && <span className="muted">{report.evaluation.cases[t.case]?.name} · </span>}
                {t.trial}
                {t.rerun_of !== null && <span className="muted small"> re-run of {t.rerun_of}</span>}
                {t.superseded.length > 0 && <span className="muted small"> (attempt {t.attempt})</span>}
              </td>
              <td>
                <span className="eval-outcome" data-state={t.state === 'ended' ? (t.outcome ?? 'cancelled') : t.state}>
                  <span aria-hidden="true">{SQUARE_MARKS[t.state === 'ended' ? (t.outcome ?? 'cancelled') : t.state]}</span> {t.state === 'ended' ? t.outcome : t.state}
                </span>
                {t.error && <div className="muted small eval-trial-error">{t.error_kind ? `${t.error_kind}: ` : ''}{t.error}</div>}
              </td>
              <td className="small">{t.stages.map((s) => `${s.name} ${s.outcome}`).join(', ') || <span className="muted">—</span>}</td>
              <td className="num">{seconds(t.duration_ms)}</td>
              <td className="num">{dollars(t.cost_usd)}</td>
              <td>
                {t.trajectory_id ? (
                  <button type="button" className="link-button" onClick={() => show({ name: 'replay', id: t.trajectory_id! })}>
                    Replay <code>{t.trajectory_id}</code>
                  </button>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** What a suggested edit's evaluation is, with the way back to the evaluation it was suggested for. */
function SuggestionNote({ of }: { of: SuggestionOf }) {
  const open = useOpenEvaluation();
  return (
    <p className="notice eval-suggestion-of">
      This evaluates the edit of suggestion {of.number}, made to a copy of RUNBOOK.md.{' '}
      <button type="button" className="link-button" onClick={() => open(of.evaluation_id)}>
        Back to the evaluation it was suggested for
      </button>
    </p>
  );
}

/** An evaluation, live: its progress, the grid filling as trials end, each cell's figures and trials; cancel, re-run failures. */
export function EvaluationDetail({ id }: { id: string }) {
  const { value: report, error } = useEvaluationReport(id);
  const [cell, setCell] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  if (error) return <p className="notice notice-error">{error}</p>;
  if (!report) return <p className="placeholder">Loading the evaluation…</p>;
  const e = report.evaluation;
  const { ended, total } = report.progress;
  const failures = report.trials.filter((t) => t.rerun_of === null && (t.outcome === 'failed' || t.outcome === 'error')).length;
  const act = (call: () => Promise<unknown>) => () => void call().then(() => setActionError(null), (err: unknown) => setActionError(messageOf(err)));
  // A suggested edit's evaluation ran on a copy of the runbook, removed once it ended: nothing to re-run or to suggest fixes for.
  const ofRunbook = e.suggestion_of === null;
  return (
    <section className="eval-detail" aria-label={`Evaluation ${e.name}`} data-evaluation={e.id} data-status={e.status}>
      <header className="eval-detail-header">
        <div>
          <h2>{e.name}</h2>
          <div className="muted small">
            {e.collection}/{e.task}
            {e.version ? ` · version ${e.version}` : ''} · <code title={e.content_hash}>{e.content_hash.slice(0, 12)}</code> · {report.evaluation.cases.length} case{report.evaluation.cases.length === 1 ? '' : 's'} × {e.trials} trials × {e.cells.length} cells · {e.concurrency.local} at once · {new Date(e.created_at).toLocaleString()}
          </div>
        </div>
        <span className={`pill status-${e.status}`} data-status={e.status}>
          {e.status}
        </span>
        {e.status === 'running' && (
          <button type="button" className="button button-small" onClick={act(() => apiClient()['evaluation.cancel']({ id }))}>
            Cancel
          </button>
        )}
        {e.status === 'completed' && failures > 0 && ofRunbook && (
          <button type="button" className="button button-small" onClick={act(() => apiClient()['evaluation.rerunFailures']({ id, repeats: 2 }))} title="Two more trials per failure: a failure whose re-runs all fail is systematic, one a re-run passes is flaky">
            Re-run failures
          </button>
        )}
      </header>
      <div className="eval-progress" role="progressbar" aria-label="Trials ended" aria-valuemin={0} aria-valuemax={total} aria-valuenow={ended}>
        <div className="eval-progress-bar" style={{ width: `${total ? (100 * ended) / total : 0}%` }} />
        <span className="eval-progress-text">
          {ended} of {total} trials ended{report.progress.running ? ` · ${report.progress.running} running` : ''}
        </span>
      </div>
      {e.suggestion_of && <SuggestionNote of={e.suggestion_of} />}
      {e.error && <p className="notice notice-error">{e.error}</p>}
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}
      <TrialGrid report={report} openCell={setCell} selected={cell} />
      <FiguresTable report={report} openCell={setCell} />
      <p className="muted small eval-rule">Counted: {report.rule}.</p>
      {cell !== null && report.cells[cell] && <CellTrials report={report} cell={cell} close={() => setCell(null)} />}
      {ofRunbook && <SuggestionsPanel id={id} canSuggest={e.status !== 'running' && failures > 0} firstModel={e.cells[0]?.model ?? null} />}
    </section>
  );
}
