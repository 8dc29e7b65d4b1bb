import { useOverlay } from '../../stores/overlays';
import { useRunning } from '../../stores/running';
import { useSelection } from '../../stores/selection';
import { toggleTheme } from '../../stores/settings';
import { useTabs } from '../../stores/tabs';
import { useView, type View } from '../../stores/view';
import type { Command } from './registry';

const go = (view: View) => () => useView.getState().show(view);
const onRunbooks = () => useView.getState().view.name === 'runbooks';
const hasTabs = () => useTabs.getState().open.length > 0;

/**
 * Every command of the app. Those without `run` are carried out by the screen that shows
 * them (see `useCommandHandler`) and are available only there. The palette lists them all
 * with their keys; the keyboard reaches each one.
 */
export const COMMANDS: Command[] = [
  { id: 'palette.show', title: 'Show all commands', group: 'Help', keys: ['F1', 'Mod+Shift+P'], run: () => useOverlay.getState().show('palette') },
  { id: 'shortcuts.show', title: 'Keyboard shortcuts', group: 'Help', keys: ['?'], run: () => useOverlay.getState().show('shortcuts') },
  { id: 'quickOpen.show', title: 'Open a runbook…', group: 'Go to', keys: ['Mod+P'], run: () => useOverlay.getState().show('quick-open') },
  { id: 'view.runbooks', title: 'Go to Runbooks', group: 'Go to', keys: ['Alt+1'], run: go({ name: 'runbooks' }) },
  { id: 'view.trajectories', title: 'Go to Trajectories', group: 'Go to', keys: ['Alt+2'], run: go({ name: 'trajectories' }) },
  { id: 'view.compare', title: 'Go to Compare', group: 'Go to', keys: ['Alt+3'], run: go({ name: 'compare', ids: [] }) },
  { id: 'view.settings', title: 'Go to Settings', group: 'Go to', keys: ['Alt+4'], run: go({ name: 'settings' }) },
  { id: 'view.cloud', title: 'Go to Cloud', group: 'Go to', keys: ['Alt+5'], run: go({ name: 'cloud' }) },
  { id: 'view.evaluate', title: 'Go to Evaluate', group: 'Go to', keys: ['Alt+6'], run: go({ name: 'evaluate', runbook: null, evaluation: null, compare: null }) },
  { id: 'view.routines', title: 'Go to Routines', group: 'Go to', keys: ['Alt+7'], run: go({ name: 'routines' }) },
  { id: 'view.problems', title: 'Show all problems of the open folders', group: 'Go to', keys: ['Mod+Shift+M'], run: go({ name: 'problems' }) },
  { id: 'trajectories.search', title: 'Search trajectories', group: 'Go to', keys: ['Mod+Shift+F'] },
  { id: 'runbooks.filter', title: 'Filter the runbook list', group: 'Go to', keys: ['Mod+Shift+E'] },
  { id: 'editor.save', title: 'Save the open file', group: 'Runbook', keys: ['Mod+S'] },
  { id: 'editor.gotoLine', title: 'Go to line…', group: 'Runbook', keys: ['Mod+G'] },
  { id: 'editor.nextProblem', title: 'Next problem', group: 'Runbook', keys: ['F8'] },
  { id: 'editor.previousProblem', title: 'Previous problem', group: 'Runbook', keys: ['Shift+F8'] },
  { id: 'run.start', title: 'Run the open runbook', group: 'Runbook', keys: ['Mod+Enter'] },
  { id: 'run.focus', title: 'Go to the run form', group: 'Runbook', keys: ['Alt+R'] },
  { id: 'tabs.next', title: 'Next tab', group: 'Tabs', keys: ['Alt+PageDown'], available: () => onRunbooks() && hasTabs(), run: () => useTabs.getState().cycle(1) },
  { id: 'tabs.previous', title: 'Previous tab', group: 'Tabs', keys: ['Alt+PageUp'], available: () => onRunbooks() && hasTabs(), run: () => useTabs.getState().cycle(-1) },
  {
    id: 'tabs.close',
    title: 'Close the tab',
    group: 'Tabs',
    keys: ['Alt+W'],
    available: () => onRunbooks() && useSelection.getState().path !== null,
    run: () => useTabs.getState().close(useSelection.getState().path!),
  },
  { id: 'runs.show', title: 'Show the runs going on', group: 'Runs', keys: ['Alt+Shift+R'], run: () => useOverlay.getState().show('running') },
  {
    id: 'runs.openLive',
    title: 'Open the newest run’s live log, full width',
    group: 'Runs',
    keys: ['Alt+L'],
    available: () => Object.keys(useRunning.getState().runs).length > 0,
    run: () => {
      const newest = Object.values(useRunning.getState().runs).sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
      useView.getState().show({ name: 'live', id: newest.id });
    },
  },
  { id: 'theme.toggle', title: 'Switch between light and dark', group: 'View', keys: ['Alt+T'], run: () => void toggleTheme() },
];
