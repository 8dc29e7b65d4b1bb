import { useRunning } from '../../stores/running';
import { useView } from '../../stores/view';

/** Runs and evaluations that ended while the app was showing something else: one line each, to open or dismiss. */
export function RunToasts() {
  const ended = useRunning((s) => s.ended);
  if (ended.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {ended.map((run) => (
        <div key={run.id} className="toast" {...{ [run.kind === 'run' ? 'data-trajectory' : 'data-evaluation']: run.id }} data-status={run.status}>
          <span>
            <strong>{run.title}</strong> {run.status} · {run.verdict}
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              useRunning.getState().dismiss(run.id);
              useView.getState().show(run.view);
            }}
          >
            Open
          </button>
          <button type="button" className="button button-small button-quiet" aria-label={`Dismiss ${run.title}`} onClick={() => useRunning.getState().dismiss(run.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
