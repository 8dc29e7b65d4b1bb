import { useWorkspaces } from '../../stores/workspaces';
import { RunbookFilters } from './RunbookFilters';
import { WorkspaceRunbooks } from './WorkspaceRunbooks';

/** The first screen: every open folder's runbooks, or what to do when there are none. */
export function RunbookOverview() {
  const { workspaces, phase, error } = useWorkspaces();
  if (phase === 'loading') return <p className="placeholder">Loading runbooks…</p>;
  if (phase === 'error') {
    return (
      <div className="notice notice-error" role="alert">
        <strong>Could not load the open folders.</strong> {error}
      </div>
    );
  }
  if (workspaces.length === 0) {
    return (
      <div className="empty-state">
        <h2>No folder open</h2>
        <p>
          Open a folder of runbooks with the field above. Jetty finds every <code>RUNBOOK.md</code> inside it and groups
          them by collection, as in <code>runbooks/&lt;collection&gt;/&lt;name&gt;/RUNBOOK.md</code>.
        </p>
      </div>
    );
  }
  return (
    <div className="workspaces">
      <RunbookFilters />
      {workspaces.map((ws) => (
        <WorkspaceRunbooks key={ws.folder} workspace={ws} />
      ))}
    </div>
  );
}
