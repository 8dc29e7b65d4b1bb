import { useView, type View } from '../stores/view';
import { ariaCombo, showCombo } from '../features/commands/keys';

const TABS: { name: View['name']; label: string; view: View }[] = [
  { name: 'runbooks', label: 'Runbooks', view: { name: 'runbooks' } },
  { name: 'trajectories', label: 'Trajectories', view: { name: 'trajectories' } },
  { name: 'compare', label: 'Compare', view: { name: 'compare', ids: [] } },
  { name: 'settings', label: 'Settings', view: { name: 'settings' } },
  { name: 'cloud', label: 'Cloud', view: { name: 'cloud' } },
  { name: 'evaluate', label: 'Evaluate', view: { name: 'evaluate', runbook: null, evaluation: null, compare: null } },
  { name: 'routines', label: 'Routines', view: { name: 'routines' } },
];

/** The screen each view belongs under. */
const UNDER: Partial<Record<View['name'], View['name']>> = { replay: 'trajectories', live: 'trajectories', problems: 'runbooks' };

/** The app's screens; Alt+1…7 switch between them from anywhere (commands `view.*`). */
export function NavTabs() {
  const { view, show } = useView();
  const current = UNDER[view.name] ?? view.name;
  return (
    <nav className="nav-tabs" aria-label="Screens">
      {TABS.map((tab, i) => (
        <button
          key={tab.name}
          type="button"
          className={`nav-tab${current === tab.name ? ' is-current' : ''}`}
          aria-current={current === tab.name ? 'page' : undefined}
          aria-keyshortcuts={ariaCombo(`Alt+${i + 1}`)}
          title={`${tab.label} (${showCombo(`Alt+${i + 1}`)})`}
          onClick={() => show(tab.view)}
        >
          {tab.label}
        </button>
      ))}
    </nav>
  );
}
