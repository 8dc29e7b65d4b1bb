import { useState } from 'react';
import { percent } from '../../../../shared/evaluation-stats';
import type { EvaluationSummary, RunTrendPoint } from '../../../../shared/evaluations';
import { dollars, seconds } from './grid';
import { useRunbookDashboard } from './use-evaluations';

interface Point {
  label: string;
  value: number | null;
  detail: string;
}

const WIDTH = 320;
const HEIGHT = 90;
const PAD = 6;

/** A small line chart with a dot per point (labelled for a screen reader and on hover); empty values leave a gap. */
function Trend({ title, points, max, format }: { title: string; points: Point[]; max?: number; format(v: number): string }) {
  const values = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const top = max ?? Math.max(0, ...values) * 1.1;
  const x = (i: number) => PAD + (points.length <= 1 ? (WIDTH - 2 * PAD) / 2 : (i * (WIDTH - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => HEIGHT - PAD - (top > 0 ? (v / top) * (HEIGHT - 2 * PAD) : 0);
  const path = points
    .map((p, i) => (p.value === null ? null : `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const last = [...points].reverse().find((p) => p.value !== null);
  return (
    <figure className="eval-trend" data-trend={title}>
      <figcaption>
        {title} <strong>{last?.value === null || !last ? '—' : format(last.value)}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${points.map((p) => `${p.label} ${p.value === null ? 'none' : format(p.value)}`).join(', ')}`}>
        <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} className="eval-trend-axis" />
        {path && <polyline points={path} className="eval-trend-line" />}
        {points.map((p, i) =>
          p.value === null ? null : (
            <circle key={i} cx={x(i)} cy={y(p.value)} r={3.5} className="eval-trend-dot">
              <title>{`${p.label}: ${format(p.value)} (${p.detail})`}</title>
            </circle>
          ),
        )}
      </svg>
    </figure>
  );
}

const rate = (e: EvaluationSummary) => (e.scored > 0 ? e.passed / e.scored : null);

/**
 * A runbook over time: its evaluations (pass rate, cost, duration, by version) and its runs
 * per day, with a list of its evaluations to open or to pick two of to compare.
 */
export function RunbookDashboard({ place, open, compare }: { place: { collection: string; task: string }; open(id: string): void; compare(left: string, right: string): void }) {
  const { value, error } = useRunbookDashboard(place);
  const [picked, setPicked] = useState<string[]>([]);
  if (error) return <p className="notice notice-error">{error}</p>;
  if (!value) return <p className="placeholder">Loading the runbook’s evaluations…</p>;
  // The trends follow the runbook's own versions: a suggested edit's evaluation (of an edited copy) is listed, not charted.
  const oldestFirst = [...value.evaluations].reverse();
  const charted = oldestFirst.filter((e) => e.suggestion_of === null);
  const nameOf = (id: string) => value.evaluations.find((e) => e.id === id)?.name ?? id;
  const label = (e: EvaluationSummary) => `${e.version ? `v${e.version}` : e.content_hash.slice(0, 7)} · ${new Date(e.created_at).toLocaleDateString()}`;
  const evalPoints = (get: (e: EvaluationSummary) => number | null) => charted.map((e) => ({ label: label(e), value: get(e), detail: e.name }));
  const dayPoints = (get: (p: RunTrendPoint) => number | null) => value.runs.map((p) => ({ label: p.day, value: get(p), detail: `${p.runs} runs` }));
  const toggle = (id: string, on: boolean) => setPicked(on ? [...picked.filter((p) => p !== id), id].slice(-2) : picked.filter((p) => p !== id));
  // The earlier one on the left: "this version vs the last".
  const pair = [...picked].sort((a, b) => oldestFirst.findIndex((e) => e.id === a) - oldestFirst.findIndex((e) => e.id === b));
  return (
    <section className="eval-card eval-dashboard" aria-label={`${place.collection}/${place.task} over time`}>
      <h2 className="section-title">
        {place.collection}/{place.task} over time
      </h2>
      {value.evaluations.length === 0 && value.runs.length === 0 ? (
        <p className="muted">No evaluation or run of this runbook yet.</p>
      ) : (
        <>
          <div className="eval-trends">
            <Trend title="Pass rate by evaluation" points={evalPoints(rate)} max={1} format={percent} />
            <Trend title="Cost by evaluation" points={evalPoints((e) => e.cost_usd)} format={dollars} />
            <Trend title="Median duration by evaluation" points={evalPoints((e) => e.duration_p50_ms)} format={(v) => seconds(v)} />
            <Trend title="Runs passed per day" points={dayPoints((p) => (p.passed + p.failed > 0 ? p.passed / (p.passed + p.failed) : null))} max={1} format={percent} />
          </div>
          <div className="eval-list-header">
            <h3>Evaluations</h3>
            <button type="button" className="button button-small" disabled={pair.length !== 2} onClick={() => compare(pair[0], pair[1])}>
              Compare the two picked
            </button>
          </div>
          <div className="eval-list-scroll">
            <table className="table eval-list">
              <thead>
                <tr>
                  <th>
                    <span className="visually-hidden">Pick to compare</span>
                  </th>
                  <th>Evaluation</th>
                  <th>Version</th>
                  <th>Status</th>
                  <th className="num">Trials</th>
                  <th className="num">Pass rate</th>
                  <th className="num">Errors</th>
                  <th className="num">p50</th>
                  <th className="num">Cost</th>
                </tr>
              </thead>
              <tbody>
                {value.evaluations.map((e) => (
                  <tr key={e.id} data-evaluation={e.id}>
                    <td>
                      <input type="checkbox" aria-label={`Pick ${e.name} to compare`} checked={picked.includes(e.id)} onChange={(ev) => toggle(e.id, ev.target.checked)} />
                    </td>
                    <td>
                      <button type="button" className="link-button" onClick={() => open(e.id)}>
                        {e.name}
                      </button>
                      <div className="muted small">{new Date(e.created_at).toLocaleString()}</div>
                      {e.suggestion_of && (
                        <div className="muted small eval-list-suggestion">
                          edit {e.suggestion_of.number} suggested for{' '}
                          <button type="button" className="link-button" onClick={() => open(e.suggestion_of!.evaluation_id)}>
                            {nameOf(e.suggestion_of.evaluation_id)}
                          </button>
                        </div>
                      )}
                    </td>
                    <td>
                      {e.version ?? '—'} <code className="muted small">{e.content_hash.slice(0, 7)}</code>
                    </td>
                    <td>
                      <span className={`pill status-${e.status}`}>{e.status}</span>
                    </td>
                    <td className="num">
                      {e.ended}/{e.total}
                    </td>
                    <td className="num">{percent(rate(e))}</td>
                    <td className="num">{e.errors}</td>
                    <td className="num">{seconds(e.duration_p50_ms)}</td>
                    <td className="num">{dollars(e.cost_usd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
