import type { Evaluation } from '../../../../shared/trajectory';

/** Scalar fields of a report (e.g. a cloud summary's verdict and checks), shown beside the counts. */
function reportFacts(report: unknown): [string, string][] {
  if (!report || typeof report !== 'object') return [];
  return Object.entries(report as Record<string, unknown>)
    .filter(([k, v]) => k !== 'overall_passed' && (typeof v === 'string' || typeof v === 'number'))
    .slice(0, 6)
    .map(([k, v]) => [k, String(v)]);
}

/** Pass / partial / fail counts, the overall verdict and the report's headline facts. */
export function EvaluationSummary({ evaluation }: { evaluation: Evaluation | null }) {
  if (!evaluation) return <p className="muted evaluation-none">No evaluation (the run wrote no validation_report.json).</p>;
  const verdict = evaluation.overall_passed === null ? 'no verdict' : evaluation.overall_passed ? 'passed' : 'not passed';
  const counted = evaluation.pass + evaluation.partial + evaluation.fail > 0;
  return (
    <div className="evaluation" data-passed={String(evaluation.overall_passed)}>
      <span className={`pill ${evaluation.overall_passed ? 'pill-ok' : evaluation.overall_passed === false ? 'pill-error' : 'pill-muted'}`}>{verdict}</span>
      {counted && (
        <>
          <span className="eval-count eval-pass">{evaluation.pass} pass</span>
          <span className="eval-count eval-partial">{evaluation.partial} partial</span>
          <span className="eval-count eval-fail">{evaluation.fail} fail</span>
        </>
      )}
      {reportFacts(evaluation.report).map(([k, v]) => (
        <span key={k} className="eval-fact">
          <span className="muted">{k}</span> {v}
        </span>
      ))}
    </div>
  );
}
