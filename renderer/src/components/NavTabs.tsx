import { useEffect } from 'react';
import { useView, type View } from '../stores/view';

const TABS: { name: View['name']; label: string; view: View }[] = [
  { name: 'runbooks', label: 'Runbooks', view: { name: 'runbooks' } },
  { name: 'trajectories', label: 'Trajectories', view: { name: 'trajectories' } },
  { name: 'compare', label: 'Compare', view: { name: 'compare', left: null, right: null } },
  { name: 'settings', label: 'Settings', view: { name: 'settings' } },
  { name: 'cloud', label: 'Cloud', view: { name: 'cloud' } },
  { name: 'evaluate', label: 'Evaluate', view: { name: 'evaluate', runbook: null, evaluation: null, compare: null } },
  { name: 'routines', label: 'Routines', view: { name: 'routines' } },
];

/** The app's screens; Alt+1…7 switch between them from anywhere. */
export function NavTabs() {
  const { view, show } = useView();
  const current = view.name === 'replay' ? 'trajectories' : view.name;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const index = Number(e.key) - 1;
      if (!e.altKey || e.ctrlKey || e.metaKey || !(index >= 0 && index < TABS.length)) return;
      e.preventDefault();
      show(TABS[index].view);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [show]);
  return (
    <nav className="nav-tabs" aria-label="Screens">
      {TABS.map((tab, i) => (
        <button
          key={tab.name}
          type="button"
          className={`nav-tab${current === tab.name ? ' is-current' : ''}`}
          aria-current={current === tab.name ? 'page' : undefined}
          aria-keyshortcuts={`Alt+${i + 1}`}
          title={`${tab.label} (Alt+${i + 1})`}
          onClick={() => show(tab.view)}
        >
          {tab.label}
        </button>
      ))}
    </nav>
  );
}
