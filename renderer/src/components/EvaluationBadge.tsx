import './evaluation-badge.css';
import { evaluationDetail, evaluationLine, evaluationVerdict, verdictLabel, type EvaluationVerdict } from '../../../shared/evaluation';
import type { Evaluation } from '../../../shared/trajectory';

const glyph = { width: 12, height: 12, viewBox: '0 0 12 12', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', 'aria-hidden': true } as const;

/** A mark per verdict, so the badge never says it by colour alone: a tick, a cross, a dash. */
export function VerdictIcon({ verdict }: { verdict: EvaluationVerdict }) {
  if (verdict === 'passed') return <svg {...glyph} className="verdict-icon"><path d="M2.5 6.5l2.3 2.3L9.5 3.5" strokeLinejoin="round" /></svg>;
  if (verdict === 'failed') return <svg {...glyph} className="verdict-icon"><path d="M3 3l6 6M9 3l-6 6" /></svg>;
  return <svg {...glyph} className="verdict-icon"><path d="M3 6h6" /></svg>;
}

/**
 * A run's evaluation as a square, outlined tag with a mark and words — apart from the round,
 * filled status pill: "✓ passed 3/3", "✕ failed 2 fail · 1 missing output", "– no evaluation".
 */
export function EvaluationBadge({ evaluation }: { evaluation: Evaluation | null }) {
  const verdict = evaluationVerdict(evaluation);
  const detail = evaluationDetail(evaluation).join(' · ');
  return (
    <span className="eval-badge" data-verdict={verdict} title={`Evaluation: ${evaluationLine(evaluation)}`}>
      <span className="visually-hidden">Evaluation: </span>
      <VerdictIcon verdict={verdict} />
      <span className="eval-badge-label">{verdictLabel(evaluation)}</span>
      {detail && <span className="eval-badge-detail">{detail}</span>}
    </span>
  );
}
