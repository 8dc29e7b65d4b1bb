import type { Evaluation } from '../../../../shared/trajectory';

/** Pass / partial / fail counts and the overall verdict of an evaluation. */
export function EvaluationSummary({ evaluation }: { evaluation: Evaluation | null }) {
  if (!evaluation) return <p className="muted evaluation-none">No evaluation (the run wrote no validation_report.json).</p>;
  const verdict = evaluation.overall_passed === null ? 'no verdict' : evaluation.overall_passed ? 'passed' : 'not passed';
  return (
    <div className="evaluation" data-passed={String(evaluation.overall_passed)}>
      <span className={`pill ${evaluation.overall_passed ? 'pill-ok' : evaluation.overall_passed === false ? 'pill-error' : 'pill-muted'}`}>{verdict}</span>
      <span className="eval-count eval-pass">{evaluation.pass} pass</span>
      <span className="eval-count eval-partial">{evaluation.partial} partial</span>
      <span className="eval-count eval-fail">{evaluation.fail} fail</span>
    </div>
  );
}
