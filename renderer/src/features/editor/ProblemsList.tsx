import type { Diagnostic, Range } from '../../../../shared/runbook';
import './editor-ux.css';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/** The runbook's diagnostics, most severe first; activating one jumps to its line. */
export function ProblemsList({ diagnostics, onJump, emptyText = 'No problems in this runbook.' }: { diagnostics: Diagnostic[]; onJump(range: Range): void; emptyText?: string }) {
  const sorted = [...diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.range.line - b.range.line);
  return (
    <section className="problems" aria-label="Problems">
      <header className="problems-header">
        Problems <span className="problems-count">{diagnostics.length}</span>
      </header>
      {sorted.length === 0 ? (
        <p className="problems-empty">{emptyText}</p>
      ) : (
        <ul className="problems-list">
          {sorted.map((d, i) => (
            <li key={`${d.code}-${d.range.line}-${d.range.column}-${i}`}>
              <button type="button" className="problem" data-severity={d.severity} data-code={d.code} onClick={() => onJump(d.range)}>
                <span className={`problem-icon problem-${d.severity}`} aria-label={d.severity} />
                <span className="problem-message">
                  <span className="problem-text">{d.message}</span>
                  {d.hint && <small className="problem-hint">{d.hint}</small>}
                </span>
                <span className="problem-where">
                  {d.code} · line {d.range.line}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
