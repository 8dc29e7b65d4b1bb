import type { RunbookEntry } from '../../../../shared/runbook';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { FileIcon } from '../../components/Icons';

/** One runbook in a collection: name, title, diagnostics; activates to open it. */
export function RunbookRow({ runbook, selected, onOpen }: { runbook: RunbookEntry; selected: boolean; onOpen(path: string): void }) {
  return (
    <li>
      <button
        type="button"
        className={`runbook-row${selected ? ' is-selected' : ''}`}
        aria-current={selected ? 'page' : undefined}
        data-runbook={runbook.name}
        title={runbook.path}
        onClick={() => onOpen(runbook.path)}
      >
        <span className="runbook-icon">
          <FileIcon />
        </span>
        <span className="runbook-text">
          <span className="runbook-name">{runbook.name}</span>
          {runbook.title && runbook.title !== runbook.name && <span className="runbook-title">{runbook.title}</span>}
        </span>
        <DiagnosticBadges errors={runbook.errors} warnings={runbook.warnings} infos={runbook.infos} />
      </button>
    </li>
  );
}
