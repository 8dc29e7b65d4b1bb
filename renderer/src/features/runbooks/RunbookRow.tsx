import { useEffect, useRef } from 'react';
import type { RunbookEntry } from '../../../../shared/runbook';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { FileIcon } from '../../components/Icons';
import '../workflows/workflows.css';

interface RunbookRowProps {
  runbook: RunbookEntry;
  selected: boolean;
  /** Unsaved edits in the editor. */
  dirty: boolean;
  showHints: boolean;
  onOpen(path: string): void;
}

/** One runbook in a collection: name, title, unsaved mark, diagnostics; activates to open it. */
export function RunbookRow({ runbook, selected, dirty, showHints, onOpen }: RunbookRowProps) {
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
}
