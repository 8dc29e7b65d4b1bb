import type { Trajectory } from '../../../../shared/trajectory';
import { formatDuration } from '../run/use-elapsed';

export const SPEEDS = [1, 2, 5, 10, 100] as const;

interface TimelineProps {
  trajectory: Trajectory;
  start: number;
  end: number;
  /** The replay cursor, as a time in ms since the epoch. */
  cursor: number;
  shown: number;
  total: number;
  playing: boolean;
  speed: number;
  onScrub(time: number): void;
  onPlay(): void;
  onStep(delta: 1 | -1): void;
  onSpeed(speed: number): void;
}

/** Coloured spans of each step over the run's time (a running step reaches the end). */
function StepBands({ trajectory, start, end }: { trajectory: Trajectory; start: number; end: number }) {
  const span = Math.max(1, end - start);
  return (
    <div className="step-bands" aria-hidden="true">
      {Object.entries(trajectory.steps).map(([name, step]) => {
        if (!step.started_at) return null;
        const from = Date.parse(step.started_at);
        const to = step.ended_at ? Date.parse(step.ended_at) : step.status === 'running' ? end : from;
        const left = ((from - start) / span) * 100;
        const width = Math.max(0.5, ((to - from) / span) * 100);
        return <span key={name} className={`step-band status-${step.status}`} style={{ left: `${left}%`, width: `${width}%` }} title={name} />;
      })}
    </div>
  );
}

/** The scrubber, play/pause, per-event stepping and speed of a replay. */
export function Timeline(p: TimelineProps) {
  const span = Math.max(1, p.end - p.start);
  return (
    <div className="timeline">
      <div className="timeline-controls">
        <button type="button" className="button button-small" onClick={() => p.onStep(-1)} aria-label="Previous event" title="Previous event (←)">
          ◀
        </button>
        <button type="button" className="button button-small button-primary play" onClick={p.onPlay} aria-label={p.playing ? 'Pause' : 'Play'} title="Play/pause (Space)">
          {p.playing ? '❚❚' : '▶'}
        </button>
        <button type="button" className="button button-small" onClick={() => p.onStep(1)} aria-label="Next event" title="Next event (→)">
          ▶|
        </button>
        <label className="speed">
          <span className="visually-hidden">Speed</span>
          <select className="text-input" value={p.speed} onChange={(e) => p.onSpeed(Number(e.target.value))} aria-label="Playback speed">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <span className="muted small timeline-where" data-shown={p.shown}>
          {formatDuration(p.cursor - p.start)} / {formatDuration(span)} · event {p.shown.toLocaleString()} of {p.total.toLocaleString()}
        </span>
      </div>
      <div className="scrubber">
        <input
          type="range"
          className="scrubber-input"
          aria-label="Replay position"
          min={0}
          max={span}
          step={1}
          value={Math.min(span, Math.max(0, p.cursor - p.start))}
          onChange={(e) => p.onScrub(p.start + Number(e.target.value))}
        />
        <StepBands trajectory={p.trajectory} start={p.start} end={p.end} />
      </div>
    </div>
  );
}
