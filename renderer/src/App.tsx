import { lazy, Suspense, useEffect } from 'react';
import { LogoMark } from './components/Icons';
import { ConnectionProblem } from './features/connection/ConnectionProblem';
import { ReconnectBanner } from './features/connection/ReconnectBanner';
import { RunbookOverview } from './features/runbooks/RunbookOverview';
import { OpenFolderForm } from './features/workspace/OpenFolderForm';
import { useConnection } from './stores/connection';
import { useSelection } from './stores/selection';
import { useWorkspaces } from './stores/workspaces';

// Monaco is large: it loads when the first runbook is opened, not with the first screen.
const RunbookEditor = lazy(() => import('./features/editor/RunbookEditor'));

export function App() {
  const status = useConnection((s) => s.status);
  const client = useConnection((s) => s.client);
  const refresh = useWorkspaces((s) => s.refresh);
  const upsert = useWorkspaces((s) => s.upsert);
  const selected = useSelection((s) => s.path);
  const select = useSelection((s) => s.select);

  useEffect(() => client?.on('workspace.changed', upsert), [client, upsert]);
  useEffect(() => {
    if (status.state === 'open') void refresh();
  }, [status.state, refresh]);

  if (status.state === 'no-token' || status.state === 'unauthorized') return <ConnectionProblem status={status} />;
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <LogoMark />
          <span>Jetty Desktop</span>
        </div>
        <OpenFolderForm />
      </header>
      <ReconnectBanner />
      {selected ? (
        <div className="split">
          <nav className="sidebar" aria-label="Runbooks">
            <button type="button" className="back-link" onClick={() => select(null)}>
              ← All runbooks
            </button>
            <RunbookOverview />
          </nav>
          <main className="editor-main">
            <Suspense fallback={<p className="placeholder">Loading the editor…</p>}>
              <RunbookEditor path={selected} />
            </Suspense>
          </main>
        </div>
      ) : (
        <main className="content">
          <RunbookOverview />
        </main>
      )}
    </div>
  );
}
