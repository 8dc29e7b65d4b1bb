import { useEffect, useRef } from 'react';
import { apiClient } from '../../stores/connection';
import { useRunbookList } from '../../stores/runbook-list';
import { useView } from '../../stores/view';
import { useWorkspaces } from '../../stores/workspaces';
import { useCommandHandler } from '../commands/registry';
import { showCombo } from '../commands/keys';
import { SEVERITY_FILTERS, type SeverityFilter } from './runbook-filter';

const SEVERITY_LABELS: Record<SeverityFilter, string> = {
  all: 'All runbooks',
  errors: 'With errors',
  warnings: 'With warnings',
  hints: 'With hints',
  clean: 'Without problems',
};

/** The runbook texts holding the query's words, asked for once typing pauses (while "Search text" is on). */
function useTextSearch(query: string, on: boolean) {
  const setTextMatches = useRunbookList((s) => s.setTextMatches);
  useEffect(() => {
    if (!on || query.trim() === '') return setTextMatches(null);
    let live = true;
    const timer = setTimeout(() => {
      void apiClient()
        ['runbook.search']({ query })
        .then(({ paths }) => live && setTextMatches(new Set(paths)))
        .catch(() => live && setTextMatches(null));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, on, setTextMatches]);
}

/** The list's search box (names and titles, and the runbooks' texts when asked), severity filter, hint badges switch, and the way to the folder's Problems. */
export function RunbookFilters() {
  const { query, severity, showHints, searchText, setQuery, setSeverity, setShowHints, setSearchText } = useRunbookList();
  const problems = useWorkspaces((s) => s.workspaces.reduce((n, w) => n + w.runbooks.reduce((m, r) => m + r.errors + r.warnings, 0), 0));
  const input = useRef<HTMLInputElement>(null);
  useCommandHandler('runbooks.filter', () => input.current?.focus());
  useTextSearch(query, searchText);
  return (
    <div className="runbook-filters" role="search">
      <input
        ref={input}
        type="search"
        className="text-input runbook-search"
        placeholder={searchText ? 'Filter runbooks by name or text' : 'Filter runbooks'}
        aria-label="Filter runbooks"
        title={`Filter runbooks (${showCombo('Mod+Shift+E')})`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
      />
      <label className="runbook-hints-toggle">
        <input type="checkbox" checked={searchText} onChange={(e) => setSearchText(e.target.checked)} /> Search text
      </label>
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
      <button type="button" className="button button-small problems-link" title={`All problems of the open folders (${showCombo('Mod+Shift+M')})`} onClick={() => useView.getState().show({ name: 'problems' })}>
        Problems {problems > 0 && <span className="problems-link-count">{problems}</span>}
      </button>
    </div>
  );
}
