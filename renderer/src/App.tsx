import './features/commands/commands.css';
import './features/runs/runs.css';
import './features/trajectories/find.css';
import { lazy, Suspense, useEffect } from 'react';
import { LogoMark } from './components/Icons';
import { NavTabs } from './components/NavTabs';
import { ThemeToggle } from './components/ThemeToggle';
import { CommandPalette } from './features/commands/CommandPalette';
import { ShortcutSheet } from './features/commands/ShortcutSheet';
import { useGlobalKeys } from './features/commands/use-global-keys';
import { ConnectionProblem } from './features/connection/ConnectionProblem';
import { ReconnectBanner } from './features/connection/ReconnectBanner';
import { RecordingBanner } from './features/connection/RecordingBanner';
import { DockerBanner } from './features/connection/DockerBanner';
import { EditorTabs } from './features/editor/EditorTabs';
import { QuickOpen } from './features/quick-open/QuickOpen';
import { ReplayPage } from './features/replay/ReplayPage';
import { RunPanel } from './features/run/RunPanel';
import { RunbookOverview } from './features/runbooks/RunbookOverview';
import { LivePage } from './features/runs/LivePage';
import { RunningIndicator } from './features/runs/RunningIndicator';
import { RunToasts } from './features/runs/RunToasts';
import { OpenFolderForm } from './features/workspace/OpenFolderForm';
import { isWorkflowPath } from './features/workflows/workflow-path';
import { useConnection } from './stores/connection';
import { appendEvent, updateTrajectory } from './stores/live-runs';
import { useOverlay } from './stores/overlays';
import { useRunning } from './stores/running';
import { useSelection } from './stores/selection';
import { useSettings } from './stores/settings';
import { useTabs } from './stores/tabs';
import { isPopOut, useView } from './stores/view';
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
const ProblemsPage = lazy(() => import('./features/problems/ProblemsPage').then((m) => ({ default: m.ProblemsPage })));

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
      <div className="editor-column">
        <EditorTabs />
        <div className="editor-row">
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
      </div>
    </div>
  );
}

function Screen() {
  const view = useView((s) => s.view);
  switch (view.name) {
    case 'trajectories':
      return <TrajectoriesPage />;
    case 'replay':
      return <ReplayPage key={view.id} id={view.id} seq={view.seq} />;
    case 'compare':
      return <ComparePage ids={view.ids} />;
    case 'live':
      return <LivePage key={view.id} id={view.id} />;
    case 'problems':
      return <ProblemsPage />;
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

function Overlays() {
  const open = useOverlay((s) => s.open);
  if (open === 'quick-open') return <QuickOpen />;
  if (open === 'palette') return <CommandPalette />;
  if (open === 'shortcuts') return <ShortcutSheet />;
  return null;
}

export function App() {
  const status = useConnection((s) => s.status);
  const client = useConnection((s) => s.client);
  const refresh = useWorkspaces((s) => s.refresh);
  const upsert = useWorkspaces((s) => s.upsert);
  const workspaces = useWorkspaces((s) => s.workspaces);
  const phase = useWorkspaces((s) => s.phase);
  const loadSettings = useSettings((s) => s.load);
  useGlobalKeys();

  useEffect(() => client?.on('workspace.changed', upsert), [client, upsert]);
  useEffect(() => client?.on('run.event', ({ trajectoryId, event }) => appendEvent(trajectoryId, event)), [client]);
  useEffect(
    () =>
      client?.on('trajectory.changed', (t) => {
        updateTrajectory(t);
        useRunning.getState().changed(t);
      }),
    [client],
  );
  useEffect(() => client?.on('evaluation.changed', (change) => useRunning.getState().evaluationChanged(change)), [client]);
  useEffect(() => {
    if (status.state !== 'open') return;
    void refresh();
    void loadSettings();
    void useRunning.getState().load().catch(() => undefined);
  }, [status.state, refresh, loadSettings]);
  // Tabs (and the active one) of files no longer in an open folder close once the folders are known.
  useEffect(() => {
    if (phase === 'ready') useTabs.getState().keepOnly(new Set(workspaces.flatMap((w) => w.runbooks.map((r) => r.path))));
  }, [phase, workspaces]);

  if (status.state === 'no-token' || status.state === 'unauthorized') return <ConnectionProblem status={status} />;
  if (isPopOut) {
    return (
      <div className="app">
        <ReconnectBanner />
        <Screen />
      </div>
    );
  }
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <LogoMark />
          <span>Jetty Desktop</span>
        </div>
        <NavTabs />
        <div className="topbar-tools">
          <RunningIndicator />
          <ThemeToggle />
          <OpenFolderForm />
        </div>
      </header>
      <ReconnectBanner />
      <RecordingBanner />
      <DockerBanner />
      <Suspense fallback={<p className="placeholder content">Loading…</p>}>
        <Screen />
      </Suspense>
      <Overlays />
      <RunToasts />
    </div>
  );
}
