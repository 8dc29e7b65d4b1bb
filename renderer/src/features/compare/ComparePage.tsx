import { Fragment, useEffect, useState } from 'react';
import './compare.css';
import type { Trajectory } from '../../../../shared/trajectory';
import { verdictLabel } from '../../../../shared/evaluation';
import { StatusPill } from '../../components/StatusPill';
import { apiClient } from '../../stores/connection';
import { useView } from '../../stores/view';
import { formatBytes } from '../artifacts/ArtifactList';
import { formatSpan } from '../run/use-elapsed';
import { EvaluationSummary } from '../trajectories/EvaluationSummary';
import { alignArtifactsOf, alignStepsOf, MAX_COMPARED, stepDuration } from './align';
import { ParamTable } from './ParamTable';
import { TextDiff } from './TextDiff';
import { ToolCallTable } from './ToolCallTable';

const isText = (mediaType: string | undefined) => /^(text\/|application\/(json|xml|x-yaml|yaml))/.test(mediaType ?? '');

/** The runs' headers, in the order asked for (null while any is loading). */
function useRuns(ids: string[]): Trajectory[] | null {
  const [runs, setRuns] = useState<Trajectory[] | null>(null);
  const key = ids.join(',');
  useEffect(() => {
    setRuns(null);
    let live = true;
    void Promise.all(ids.map((id) => apiClient()['trajectory.get']({ id }))).then((t) => live && setRuns(t));
    return () => {
      live = false;
    };
  }, [key]);
  return runs;
}

function Side({ t, first, onRemove }: { t: Trajectory; first: boolean; onRemove(): void }) {
  return (
    <div className="compare-side" data-compared={t.id}>
      <div className="compare-side-head">
        <code>{t.id}</code> <StatusPill status={t.status} />
        {first && <span className="pill">baseline</span>}
        <span className="spacer" />
        <button type="button" className="button button-small button-quiet" aria-label={`Remove ${t.id} from the comparison`} onClick={onRemove}>
          ✕
        </button>
      </div>
      <div className="muted small">
        {t.collection}/{t.task} · {t.agent ?? '—'} · {t.model ?? '—'} · {t.usage ? `${t.usage.total_tokens.toLocaleString()} tokens` : 'no usage'}
      </div>
      <EvaluationSummary evaluation={t.evaluation} />
    </div>
  );
}

/**
 * Two to four runs side by side, the first the baseline: parameters, steps and result files
 * in a column each (what differs from the baseline marked), and the tool calls of the
 * baseline against one other run at a time, aligned, with readable diffs of their arguments.
 */
export function ComparePage({ ids }: { ids: string[] }) {
  const show = useView((s) => s.show);
  const [recent, setRecent] = useState<Trajectory[]>([]);
  const [against, setAgainst] = useState(1);
  const [openDiff, setOpenDiff] = useState<string | null>(null);
  const runs = useRuns(ids);
  useEffect(() => void apiClient()['trajectory.list']({ limit: 100, topLevel: true }).then((r) => setRecent(r.trajectories)), []);
  const setIds = (next: string[]) => show({ name: 'compare', ids: next });
  const other = runs && runs.length > 1 ? runs[Math.min(against, runs.length - 1)] : null;

  return (
    <main className="content page" aria-label="Compare trajectories">
      <header className="page-header">
        <h1>Compare</h1>
        {ids.length < MAX_COMPARED && (
          <label className="filter compare-add">
            <span>Add a run</span>
            <select className="text-input" value="" onChange={(e) => e.target.value && setIds([...ids, e.target.value])}>
              <option value="">Choose a trajectory…</option>
              {recent
                .filter((t) => !ids.includes(t.id))
                .map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.id} · {t.collection}/{t.task} · {t.status} · {verdictLabel(t.evaluation)}
                  </option>
                ))}
            </select>
          </label>
        )}
      </header>
      {ids.length < 2 ? (
        <div className="empty-state">
          <h2>Pick two to four runs</h2>
          <p>Add them above, or tick them in the Trajectories list and press Compare.</p>
        </div>
      ) : !runs ? (
        <p className="placeholder">Loading the runs…</p>
      ) : (
        <>
          <div className="compare-grid" style={{ gridTemplateColumns: `repeat(${runs.length}, minmax(0, 1fr))` }}>
            {runs.map((t, i) => (
              <Side key={t.id} t={t} first={i === 0} onRemove={() => setIds(ids.filter((x) => x !== t.id))} />
            ))}
          </div>
          <h2 className="section-title">Parameters</h2>
          <ParamTable runs={runs} />
          <h2 className="section-title">Tool calls</h2>
          {runs.length > 2 && (
            <div className="segmented compare-against" role="radiogroup" aria-label="Tool calls of the baseline against">
              {runs.slice(1).map((t, i) => (
                <label key={t.id} className={other?.id === t.id ? 'is-selected' : undefined}>
                  <input type="radio" name="compare-against" checked={other?.id === t.id} onChange={() => setAgainst(i + 1)} />
                  {runs[0].id} vs {t.id}
                </label>
              ))}
            </div>
          )}
          {other && <ToolCallTable key={other.id} a={runs[0]} b={other} />}
          <h2 className="section-title">Steps</h2>
          <table className="table compare-steps">
            <thead>
              <tr>
                <th>Step</th>
                {runs.map((t) => (
                  <th key={t.id}>{t.id}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {alignStepsOf(runs).map((s) => (
                <tr key={s.name} data-step={s.name} className={s.steps.some((x) => x?.status !== s.steps[0]?.status) ? 'row-differs' : undefined}>
                  <td>{s.name}</td>
                  {s.steps.map((step, i) => (
                    <td key={i}>
                      {step ? (
                        <>
                          <StatusPill status={step.status} /> <span className="muted">{stepDuration(step) === null ? '' : formatSpan(stepDuration(step)!)}</span>
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <h2 className="section-title">Result files</h2>
          {runs.every((t) => t.artifacts.length === 0) && <p className="muted">No run has result files.</p>}
          <table className="table compare-artifacts">
            <thead>
              <tr>
                <th>File</th>
                {runs.map((t) => (
                  <th key={t.id}>{t.id}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {alignArtifactsOf(runs).map((art) => {
                const comparison = art.comparisons.slice(1).every((c) => c === 'same') ? 'same' : art.comparisons.slice(1).includes('different') ? 'different' : 'partial';
                return (
                  <Fragment key={art.path}>
                    <tr data-artifact={art.path} data-comparison={comparison}>
                      <td>
                        <code>{art.path}</code>
                      </td>
                      {art.files.map((f, i) => {
                        const key = `${art.path}|${runs[i].id}`;
                        return (
                          <td key={i} data-comparison={art.comparisons[i]}>
                            {f ? <span className="muted small">{formatBytes(f.size)}</span> : <span className="muted">—</span>}{' '}
                            {i > 0 && <span className={`pill ${art.comparisons[i] === 'same' ? 'pill-ok' : 'pill-warning'}`}>{art.comparisons[i]}</span>}
                            {art.comparisons[i] === 'different' && isText(f?.media_type) && (
                              <button type="button" className="button button-small" aria-expanded={openDiff === key} onClick={() => setOpenDiff(openDiff === key ? null : key)}>
                                {openDiff === key ? 'Hide diff' : 'Show diff'}
                              </button>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                    {runs.slice(1).map(
                      (t) =>
                        openDiff === `${art.path}|${t.id}` && (
                          <tr key={t.id}>
                            <td colSpan={runs.length + 1}>
                              <TextDiff leftId={runs[0].id} rightId={t.id} path={art.path} />
                            </td>
                          </tr>
                        ),
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
