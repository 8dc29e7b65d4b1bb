import './evaluation.css';
import { evaluationVerdict, reportStages } from '../../../../shared/evaluation';
import type { Evaluation } from '../../../../shared/trajectory';
import { EvaluationBadge, VerdictIcon } from '../../components/EvaluationBadge';

/** Scalar fields of a report (e.g. a cloud summary's verdict and checks), shown beside the counts. */
function reportFacts(report: unknown): [string, string][] {
  if (!report || typeof report !== 'object') return [];
  return Object.entries(report as Record<string, unknown>)
    .filter(([k, v]) => k !== 'overall_passed' && (typeof v === 'string' || typeof v === 'number'))
    .slice(0, 6)
    .map(([k, v]) => [k, String(v)]);
}

/** The required output files the run left out (the runbook's output table), by name. */
function MissingOutputs({ files }: { files: string[] }) {
  return (
    <div className="notice notice-error missing-outputs" role="note">
      <VerdictIcon verdict="failed" />{' '}
      {files.length === 1 ? 'A required output file is missing' : `${files.length} required output files are missing`} (the runbook's output table lists{' '}
      {files.length === 1 ? 'it' : 'them'}):{' '}
      {files.map((f, i) => (
        <span key={f}>
          {i > 0 && ', '}
          <code>{f}</code>
        </span>
      ))}
    </div>
  );
}

const OUTCOME_VERDICT = { pass: 'passed', partial: 'none', fail: 'failed' } as const;

/** The report's stages in its order, one row each: what it checked, how it came out, what it said. */
function Stages({ report }: { report: unknown }) {
  const stages = reportStages(report);
  if (stages.length === 0) return null;
  const passed = stages.filter((s) => s.outcome === 'pass').length;
  return (
    <table className="table eval-stage-table" aria-label="Evaluation stages">
      <caption className="muted small">
        {passed} of {stages.length} {stages.length === 1 ? 'stage' : 'stages'} passed
      </caption>
      <thead>
        <tr>
          <th>Stage</th>
          <th>Outcome</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {stages.map((stage, i) => (
          <tr key={`${stage.name}-${i}`} className="eval-stage" data-outcome={stage.outcome}>
            <td className="eval-stage-name">{stage.name}</td>
            <td className="eval-stage-outcome">
              <VerdictIcon verdict={OUTCOME_VERDICT[stage.outcome]} /> {stage.outcome}
            </td>
            <td className="eval-stage-message">{stage.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The verdict as a badge, the pass / partial / fail counts, missing required outputs, the stages and the report's headline facts. */
export function EvaluationSummary({ evaluation }: { evaluation: Evaluation | null }) {
  if (!evaluation) {
    return (
      <div className="evaluation" data-verdict="none">
        <div className="evaluation-head">
          <EvaluationBadge evaluation={null} />
          <span className="muted">The run wrote no validation_report.json.</span>
        </div>
      </div>
    );
  }
  const counted = evaluation.pass + evaluation.partial + evaluation.fail > 0;
  const missing = evaluation.missing_outputs ?? [];
  return (
    <div className="evaluation" data-passed={String(evaluation.overall_passed)} data-verdict={evaluationVerdict(evaluation)}>
      <div className="evaluation-head">
        <EvaluationBadge evaluation={evaluation} />
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
      {missing.length > 0 && <MissingOutputs files={missing} />}
      <Stages report={evaluation.report} />
    </div>
  );
}
