import { useRunbookList } from '../../stores/runbook-list';
import { SEVERITY_FILTERS, type SeverityFilter } from './runbook-filter';

const SEVERITY_LABELS: Record<SeverityFilter, string> = {
  all: 'All runbooks',
  errors: 'With errors',
  warnings: 'With warnings',
  hints: 'With hints',
  clean: 'Without problems',
};

/** The list's search box, severity filter and hint badges switch. */
export function RunbookFilters() {
  const { query, severity, showHints, setQuery, setSeverity, setShowHints } = useRunbookList();
  return (
    <div className="runbook-filters" role="search">
      <input
        type="search"
        className="text-input runbook-search"
        placeholder="Filter runbooks"
        aria-label="Filter runbooks"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
      />
      <select className="text-input runbook-severity" aria-label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as SeverityFilter)}>
        {SEVERITY_FILTERS.map((s) => (
          <option key={s} value={s}>
            {SEVERITY_LABELS[s]}
          </option>
        ))}
      </select>
      <label className="runbook-hints-toggle">
        <input type="checkbox" checked={showHints} onChange={(e) => setShowHints(e.target.checked)} /> Show hints
      </label>
    </div>
  );
}
