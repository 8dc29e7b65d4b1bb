import { percent } from '../../../../shared/evaluation-stats';
import type { EvaluationComparison, EvaluationSummary } from '../../../../shared/evaluations';
import { MOVEMENT_TEXT, dollars, seconds } from './grid';
import { useComparison } from './use-evaluations';

function Mark({ movement }: { movement: EvaluationComparison['cells'][number]['movement'] }) {
  const text = MOVEMENT_TEXT[movement];
  return (
    <span className="eval-move" data-movement={movement}>
      <span aria-hidden="true">{text.mark}</span> {text.words}
    </span>
  );
}

const ratio = (v: { passed: number; ran?: number; trials?: number } | null) => (v ? `${v.passed}/${v.ran ?? v.trials}` : '—');
const rateOf = (v: { passed: number; ran?: number; trials?: number } | null) => {
  const n = v ? (v.ran ?? v.trials ?? 0) : 0;
  return v && n > 0 ? v.passed / n : null;
};

function Heading({ e, side }: { e: EvaluationSummary; side: string }) {
  return (
    <div className="eval-compare-side" data-side={side}>
      <div className="muted small">{side}</div>
      <strong>{e.name}</strong>
      <div className="muted small">
        {e.version ? `version ${e.version}` : 'no version'} · <code>{e.content_hash.slice(0, 12)}</code> · {new Date(e.created_at).toLocaleString()}
      </div>
      <div className="small">
        {percent(e.scored ? e.passed / e.scored : null)} passed · {e.errors} errors · {dollars(e.cost_usd)} · p50 {seconds(e.duration_p50_ms)}
      </div>
    </div>
  );
}

/**
 * Two evaluations of a runbook, the earlier on the left: per cell and per stage, each move
 * marked — improved or regressed only beyond the noise of the two pass rates' 95% intervals.
 */
export function CompareEvaluations({ left, right }: { left: string; right: string }) {
  const { value, error } = useComparison({ left, right });
  if (error) return <p className="notice notice-error">{error}</p>;
  if (!value) return <p className="placeholder">Comparing…</p>;
  const counts = value.cells.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.movement]: (acc[c.movement] ?? 0) + 1 }), {});
  return (
    <section className="eval-compare" aria-label="Compare evaluations">
      <div className="eval-compare-heads">
        <Heading e={value.left} side="before" />
        <span className="eval-compare-arrow" aria-hidden="true">
          →
        </span>
        <Heading e={value.right} side="after" />
      </div>
      <p className="small eval-compare-summary">
        {(['regressed', 'improved', 'within_noise', 'same', 'new', 'gone'] as const)
          .filter((m) => counts[m])
          .map((m) => `${counts[m]} ${MOVEMENT_TEXT[m].words}`)
          .join(' · ')}
        <span className="muted"> — improved or regressed only when the 95% intervals of the two pass rates do not overlap.</span>
      </p>
      <table className="table eval-compare-table">
        <thead>
          <tr>
            <th>Cell / stage</th>
            <th className="num">Before</th>
            <th className="num">After</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {value.cells.flatMap((c) => [
            <tr key={c.label} className="eval-compare-cell" data-cell={c.label} data-movement={c.movement}>
              <td>
                <strong>{c.label}</strong>
              </td>
              <td className="num">
                {percent(rateOf(c.left))} <span className="muted small">{ratio(c.left)}</span>
              </td>
              <td className="num">
                {percent(rateOf(c.right))} <span className="muted small">{ratio(c.right)}</span>
              </td>
              <td>
                <Mark movement={c.movement} />
              </td>
            </tr>,
            ...c.stages.map((s) => (
              <tr key={`${c.label}/${s.name}`} className="eval-compare-stage" data-stage={s.name} data-movement={s.movement}>
                <td className="eval-compare-stage-name">{s.name}</td>
                <td className="num">
                  {percent(rateOf(s.left))} <span className="muted small">{ratio(s.left)}</span>
                </td>
                <td className="num">
                  {percent(rateOf(s.right))} <span className="muted small">{ratio(s.right)}</span>
                </td>
                <td>
                  <Mark movement={s.movement} />
                </td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </section>
  );
}
