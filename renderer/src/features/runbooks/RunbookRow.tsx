import { memo, useEffect, useRef } from 'react';
import type { RunbookEntry } from '../../../../shared/runbook';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { FileIcon } from '../../components/Icons';
import { useEditor } from '../../stores/editor';
import { useSelection } from '../../stores/selection';
import '../workflows/workflows.css';

/**
 * One runbook in a collection: name, title, unsaved mark, diagnostics; activates to open it.
 * It reads its own selected and unsaved state, so opening or editing a runbook re-renders
 * its row, not the whole list.
 */
export const RunbookRow = memo(function RunbookRow({ runbook, showHints }: { runbook: RunbookEntry; showHints: boolean }) {
  const selected = useSelection((s) => s.path === runbook.path);
  const onOpen = useSelection((s) => s.select);
  const dirty = useEditor((s) => s.dirtyPaths.has(runbook.path));
  const button = useRef<HTMLButtonElement>(null);
  // Opened from elsewhere (quick open): the list shows where it is.
  useEffect(() => {
    if (selected) button.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <li>
      <button
        ref={button}
        type="button"
        className={`runbook-row${selected ? ' is-selected' : ''}${dirty ? ' is-dirty' : ''}`}
        aria-current={selected ? 'page' : undefined}
        data-runbook={runbook.name}
        data-kind={runbook.kind ?? 'runbook'}
        data-dirty={dirty || undefined}
        title={runbook.path}
        onClick={() => onOpen(runbook.path)}
      >
        <span className="runbook-icon">
          <FileIcon />
        </span>
        <span className="runbook-text">
          <span className="runbook-name">
            {runbook.name}
            {runbook.kind === 'workflow' && <span className="kind-badge">workflow</span>}
            {dirty && (
              <span className="dirty-mark" aria-label="edited, not saved" title="Unsaved changes">
                {' '}●
              </span>
            )}
          </span>
          {runbook.title && runbook.title !== runbook.name && <span className="runbook-title">{runbook.title}</span>}
        </span>
        <DiagnosticBadges errors={runbook.errors} warnings={runbook.warnings} infos={showHints ? runbook.infos : 0} />
      </button>
    </li>
  );
});
