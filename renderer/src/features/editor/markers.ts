import type { Diagnostic } from '../../../../shared/runbook';

/** Monaco's MarkerSeverity values (kept here so this mapping stays free of Monaco). */
const SEVERITY = { error: 8, warning: 4, info: 2 } as const;

export interface MarkerData {
  severity: number;
  code: string;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/** A diagnostic as an editor marker; an empty range is widened to one character so it shows. */
export function toMarker(d: Diagnostic): MarkerData {
  const { line, column, endLine, endColumn } = d.range;
  const empty = endLine < line || (endLine === line && endColumn <= column);
  return {
    severity: SEVERITY[d.severity],
    code: d.code,
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    startLineNumber: line,
    startColumn: column,
    endLineNumber: empty ? line : endLine,
    endColumn: empty ? column + 1 : endColumn,
  };
}
