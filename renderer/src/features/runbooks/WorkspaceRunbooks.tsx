import { useState } from 'react';
import type { Workspace } from '../../../../shared/contract';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { FolderIcon } from '../../components/Icons';
import { useSelection } from '../../stores/selection';
import { NewRunbookForm } from '../workspace/NewRunbookForm';
import { groupByCollection } from './group-by-collection';
import { RunbookRow } from './RunbookRow';

/** An open folder's runbooks, grouped by collection. */
export function WorkspaceRunbooks({ workspace }: { workspace: Workspace }) {
  const selected = useSelection((s) => s.path);
  const select = useSelection((s) => s.select);
  const groups = groupByCollection(workspace.runbooks);
  const [creating, setCreating] = useState(false);
  return (
    <section className="workspace" aria-label={`Runbooks in ${workspace.folder}`}>
      <header className="workspace-header">
        <FolderIcon />
        <span className="workspace-folder" title={workspace.folder}>
          {workspace.folder}
        </span>
        <span className="workspace-count">{workspace.runbooks.length === 1 ? '1 runbook' : `${workspace.runbooks.length} runbooks`}</span>
        <button type="button" className="button button-small new-runbook-button" aria-expanded={creating} onClick={() => setCreating(!creating)} title="New runbook from a template">
          + New
        </button>
      </header>
      {creating && <NewRunbookForm folder={workspace.folder} onDone={() => setCreating(false)} />}
      {groups.length === 0 && (
        <p className="workspace-empty">
          No <code>RUNBOOK.md</code> found in this folder. Runbooks are found at any depth, for example{' '}
          <code>runbooks/&lt;collection&gt;/&lt;name&gt;/RUNBOOK.md</code>.
        </p>
      )}
      {groups.map((group) => (
        <section key={group.collection} className="collection" data-collection={group.collection}>
          <h3 className="collection-header">
            <span className="collection-name">{group.collection}</span>
            <DiagnosticBadges errors={group.errors} warnings={group.warnings} infos={group.infos} />
          </h3>
          <ul className="runbook-list">
            {group.runbooks.map((rb) => (
              <RunbookRow key={rb.path} runbook={rb} selected={rb.path === selected} onOpen={select} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
