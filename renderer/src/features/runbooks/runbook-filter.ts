import type { RunbookEntry } from '../../../../shared/runbook';

export const SEVERITY_FILTERS = ['all', 'errors', 'warnings', 'hints', 'clean'] as const;
export type SeverityFilter = (typeof SEVERITY_FILTERS)[number];

export interface RunbookFilter {
  /** Words that must all appear in the runbook's collection path, name or title (any case). */
  query: string;
  severity: SeverityFilter;
  /** Runbooks whose text holds every word of the query (null: the text is not searched). */
  textMatches: ReadonlySet<string> | null;
}

export function hasSeverity(rb: RunbookEntry, severity: SeverityFilter): boolean {
  switch (severity) {
    case 'errors':
      return rb.errors > 0;
    case 'warnings':
      return rb.warnings > 0;
    case 'hints':
      return rb.infos > 0;
    case 'clean':
      return rb.errors + rb.warnings === 0;
    default:
      return true;
  }
}

/** A predicate for the runbooks a filter keeps; `where` is the runbook's collection path ("ops/sub"). */
export function runbookFilter({ query, severity, textMatches }: RunbookFilter): (rb: RunbookEntry, where: string) => boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return (rb, where) => {
    if (!hasSeverity(rb, severity)) return false;
    if (words.length === 0 || textMatches?.has(rb.path)) return true;
    const text = `${where}/${rb.name} ${rb.title ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
}
