import { lazy, Suspense, useEffect } from 'react';
import { LogoMark } from './components/Icons';
import { NavTabs } from './components/NavTabs';
import { ConnectionProblem } from './features/connection/ConnectionProblem';
import { ReconnectBanner } from './features/connection/ReconnectBanner';
import { RecordingBanner } from './features/connection/RecordingBanner';
import { DockerBanner } from './features/connection/DockerBanner';
import { QuickOpen } from './features/quick-open/QuickOpen';
import { ReplayPage } from './features/replay/ReplayPage';
import { RunPanel } from './features/run/RunPanel';
import { RunbookOverview } from './features/runbooks/RunbookOverview';
import { OpenFolderForm } from './features/workspace/OpenFolderForm';
import { isWorkflowPath } from './features/workflows/workflow-path';
import { useConnection } from './stores/connection';
import { appendEvent, updateTrajectory } from './stores/live-runs';
import { useSelection } from './stores/selection';
import { useSettings } from './stores/settings';
import { useView } from './stores/view';
import { useWorkspaces } from './stores/workspaces';

// Monaco is large: it loads when the first runbook is opened, not with the first screen;
// the other screens load when first shown, except the replay viewer (opened often, and its
// first paint is measured in bench/replay.mjs).
const RunbookEditor = lazy(() => import('./features/editor/RunbookEditor'));
const WorkflowPane = lazy(() => import('./features/workflows/WorkflowPane'));
const TrajectoriesPage = lazy(() => import('./features/trajectories/TrajectoriesPage').then((m) => ({ default: m.TrajectoriesPage })));
const ComparePage = lazy(() => import('./features/compare/ComparePage').then((m) => ({ default: m.ComparePage })));
const CloudPage = lazy(() => import('./features/cloud/CloudPage').then((m) => ({ default: m.CloudPage })));
const EvaluatePage = lazy(() => import('./features/evaluate/EvaluatePage').then((m) => ({ default: m.EvaluatePage })));
const RoutinesPage = lazy(() => import('./features/routines/RoutinesPage').then((m) => ({ default: m.RoutinesPage })));
const SettingsPage = lazy(() => import('./features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));

function RunbooksScreen() {
  const selected = useSelection((s) => s.path);
  const select = useSelection((s) => s.select);
  if (!selected) {
    return (
      <main className="content">
        <RunbookOverview />
      </main>
    );
  }
  return (
    <div className="split">
      <nav className="sidebar" aria-label="Runbooks">
        <button type="button" className="back-link" onClick={() => select(null)}>
          ← All runbooks
        </button>
        <RunbookOverview />
      </nav>
      {isWorkflowPath(selected) ? (
        <Suspense fallback={<p className="placeholder">Loading the editor…</p>}>
          <WorkflowPane path={selected} />
        </Suspense>
      ) : (
        <>
          <main className="editor-main">
            <Suspense fallback={<p className="placeholder">Loading the editor…</p>}>
              <RunbookEditor path={selected} />
            </Suspense>
          </main>
          <RunPanel key={selected} path={selected} />
        </>
      )}
    </div>
  );
}

function Screen() {
  const view = useView((s) => s.view);
  switch (view.name) {
    case 'trajectories':
      return <TrajectoriesPage />;
    case 'replay':
      return <ReplayPage key={view.id} id={view.id} />;
    case 'compare':
      return <ComparePage left={view.left} right={view.right} />;
    case 'cloud':
      return <CloudPage />;
    case 'settings':
      return <SettingsPage />;
    case 'evaluate':
      return <EvaluatePage view={view} />;
    case 'routines':
      return <RoutinesPage />;
    default:
      return <RunbooksScreen />;
  }
}

export function App() {
  const status = useConnection((s) => s.status);
  const client = useConnection((s) => s.client);
  const refresh = useWorkspaces((s) => s.refresh);
  const upsert = useWorkspaces((s) => s.upsert);
  const loadSettings = useSettings((s) => s.load);

  useEffect(() => client?.on('workspace.changed', upsert), [client, upsert]);
  useEffect(() => client?.on('run.event', ({ trajectoryId, event }) => appendEvent(trajectoryId, event)), [client]);
  useEffect(() => client?.on('trajectory.changed', updateTrajectory), [client]);
  useEffect(() => {
    if (status.state !== 'open') return;
    void refresh();
    void loadSettings();
  }, [status.state, refresh, loadSettings]);

  if (status.state === 'no-token' || status.state === 'unauthorized') return <ConnectionProblem status={status} />;
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <LogoMark />
          <span>Jetty Desktop</span>
        </div>
        <NavTabs />
        <OpenFolderForm />
      </header>
      <ReconnectBanner />
      <RecordingBanner />
      <DockerBanner />
      <Suspense fallback={<p className="placeholder content">Loading…</p>}>
        <Screen />
      </Suspense>
      <QuickOpen />
    </div>
  );
}
