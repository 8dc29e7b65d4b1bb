import { useEffect, useRef, useState } from 'react';
import type { Trajectory } from '../../../../shared/trajectory';
import { useOverlay } from '../../stores/overlays';
import { allowNotifications, phaseOf, useRunning } from '../../stores/running';
import { useView } from '../../stores/view';
import { formatDuration } from '../run/use-elapsed';
import { showCombo } from '../commands/keys';

/** Seconds since `t` started, ticking while shown. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

const startOf = (t: Trajectory) => Date.parse(t.started_at ?? t.created_at);

/**
 * The header's count of runs going on (started here, from the CLI, over REST…); opening it
 * lists each with its runbook, phase and elapsed time, one activation from its live log.
 */
export function RunningIndicator() {
  const runs = useRunning((s) => s.runs);
  const open = useOverlay((s) => s.open === 'running');
  const list = Object.values(runs).sort((a, b) => b.created_at.localeCompare(a.created_at));
  const now = useNow(open || list.length > 0);
  const panel = useRef<HTMLDivElement>(null);
  const [notify, setNotify] = useState(typeof Notification !== 'undefined' ? Notification.permission : 'denied');
  const toggle = () => useOverlay.getState().show(open ? null : 'running');
  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('button')?.focus();
  }, [open]);
  const openLive = (id: string) => {
    useOverlay.getState().show(null);
    useView.getState().show({ name: 'live', id });
  };
  return (
    <div className="running" data-count={list.length}>
      <button
        type="button"
        className={`button button-small running-toggle${list.length ? ' is-active' : ''}`}
        aria-expanded={open}
        aria-haspopup="dialog"
        title={`Runs going on (${showCombo('Alt+Shift+R')})`}
        onClick={toggle}
      >
        <span className="running-dot" aria-hidden="true" />
        {list.length === 0 ? 'No runs' : `${list.length} running`}
      </button>
      {open && (
        <div
          ref={panel}
          className="running-panel"
          role="dialog"
          aria-label="Runs going on"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              useOverlay.getState().show(null);
            }
          }}
        >
          {list.length === 0 ? (
            <p className="muted running-empty">Nothing is running. Runs started here, from the CLI or over the API show here while they run.</p>
          ) : (
            <ul className="running-list">
              {list.map((t) => (
                <li key={t.id}>
                  <button type="button" className="running-item" data-trajectory={t.id} onClick={() => openLive(t.id)}>
                    <span className="running-title">
                      <span className="muted">{t.collection}/</span>
                      {t.task}
                    </span>
                    <span className="running-phase">{phaseOf(t)}</span>
                    <span className="running-elapsed" data-elapsed>
                      {formatDuration(now - startOf(t))}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {notify !== 'granted' && notify !== 'denied' && (
            <button type="button" className="button button-small running-notify" onClick={() => void allowNotifications().then(() => setNotify(Notification.permission))}>
              Notify me when a run ends
            </button>
          )}
        </div>
      )}
    </div>
  );
}
