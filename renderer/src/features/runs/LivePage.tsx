import { useEffect } from 'react';
import { followOnce, liveLog, useLiveRuns } from '../../stores/live-runs';
import { isPopOut, useView } from '../../stores/view';
import { LiveLogView } from '../run/LiveLogView';
import { RunStatus } from '../run/RunStatus';
import './live.css';

/** A window of its own for the run's live log (the same page, `#live=<id>`, alone). */
const popOut = (id: string) => window.open(`${location.pathname}${location.search}#live=${id}`, `jetty-live-${id}`, 'popup,width=1100,height=760');

/** A run's status and log across the whole window: to watch a run in progress (or read a finished one's log) wider than the run panel. */
export function LivePage({ id }: { id: string }) {
  const show = useView((s) => s.show);
  const trajectory = useLiveRuns((s) => s.trajectories[id]);
  const version = useLiveRuns((s) => s.version);
  useEffect(() => {
    followOnce(id);
  }, [id]);
  const log = liveLog(id);
  const live = trajectory?.status === 'running' || trajectory?.status === 'pending';
  return (
    <main className={`content live-page${isPopOut ? ' is-pop-out' : ''}`} aria-label={`Live log of ${id}`}>
      <header className="page-header live-header">
        <h1>
          {trajectory ? (
            <>
              <span className="muted">{trajectory.collection}/</span>
              {trajectory.task}
            </>
          ) : (
            `Run ${id}`
          )}
        </h1>
        <span className="spacer" />
        {!isPopOut && (
          <button type="button" className="button" onClick={() => popOut(id)} title="Open this log in a window of its own">
            Pop out
          </button>
        )}
        {live && (
          <button type="button" className="button" onClick={() => void useLiveRuns.getState().cancel(id)}>
            Cancel run
          </button>
        )}
        {!isPopOut && (
          <button type="button" className="button" onClick={() => show({ name: 'replay', id })}>
            Open replay
          </button>
        )}
      </header>
      {trajectory ? (
        <section className="live-body" aria-label="Run">
          <RunStatus trajectory={trajectory} liveTokens={log.tokens} progress={log.progress}>
            <LiveLogView lines={log.lines} version={version} />
          </RunStatus>
        </section>
      ) : (
        <p className="placeholder">Loading run {id}…</p>
      )}
    </main>
  );
}
