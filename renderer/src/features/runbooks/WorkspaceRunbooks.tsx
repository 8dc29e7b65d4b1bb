import { useMemo, useState } from 'react';
import type { Workspace } from '../../../../shared/contract';
import { FolderIcon } from '../../components/Icons';
import { useRunbookList } from '../../stores/runbook-list';
import { NewRunbookForm } from '../workspace/NewRunbookForm';
import { CollectionSection } from './CollectionSection';
import { groupByCollection } from './group-by-collection';
import { runbookFilter } from './runbook-filter';

/** An open folder's runbooks as collections with nested sub-collections, filtered by the list's search and severity. */
export function WorkspaceRunbooks({ workspace }: { workspace: Workspace }) {
  const query = useRunbookList((s) => s.query);
  const severity = useRunbookList((s) => s.severity);
  const textMatches = useRunbookList((s) => s.textMatches);
  const filtering = query.trim() !== '' || severity !== 'all';
  const groups = useMemo(() => groupByCollection(workspace.folder, workspace.runbooks, runbookFilter({ query, severity, textMatches })), [workspace, query, severity, textMatches]);
  const shown = groups.reduce((n, g) => n + g.total, 0);
  const [creating, setCreating] = useState(false);
  const total = workspace.runbooks.length;
  // The runbook tasks deployed to this Jetty: listed and runnable like an opened folder's, made by deploys, not here.
  const deployed = workspace.kind === 'deployed';
  return (
    <section className="workspace" aria-label={deployed ? 'Runbooks deployed to this Jetty' : `Runbooks in ${workspace.folder}`} data-workspace-kind={workspace.kind}>
      <header className="workspace-header">
        <FolderIcon />
        <span className="workspace-folder" title={workspace.folder}>
          {deployed ? 'Deployed to this Jetty' : workspace.folder}
        </span>
        <span className="workspace-count" data-shown={shown}>
          {filtering ? `${shown} of ${total}` : total === 1 ? '1 runbook' : `${total} runbooks`}
        </span>
        {!deployed && (
          <button type="button" className="button button-small new-runbook-button" aria-expanded={creating} onClick={() => setCreating(!creating)} title="New runbook from a template">
            + New
          </button>
        )}
      </header>
      {creating && <NewRunbookForm folder={workspace.folder} onDone={() => setCreating(false)} />}
      {total === 0 && (
        <p className="workspace-empty">
          No <code>RUNBOOK.md</code> found in this folder. Runbooks are found at any depth, for example{' '}
          <code>runbooks/&lt;collection&gt;/&lt;name&gt;/RUNBOOK.md</code>.
        </p>
      )}
      {total > 0 && groups.length === 0 && <p className="workspace-empty">No runbook here matches the filter.</p>}
      {groups.map((group) => (
        <CollectionSection key={group.key} folder={workspace.folder} group={group} unfolded={filtering} />
      ))}
    </section>
  );
}
