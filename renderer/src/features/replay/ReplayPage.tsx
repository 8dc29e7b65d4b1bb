import { useEffect, useState } from 'react';
import type { Client } from '../../../../shared/rpc';
import { EventTypeSchema, type EventType, type Trajectory } from '../../../../shared/trajectory';
import { EvaluationBadge } from '../../components/EvaluationBadge';
import { StatusPill } from '../../components/StatusPill';
import { apiClient, useConnection } from '../../stores/connection';
import { useView } from '../../stores/view';
import { ArtifactList } from '../artifacts/ArtifactList';
import { JsonTree } from '../artifacts/JsonTree';
import { EvaluationSummary } from '../trajectories/EvaluationSummary';
import { downloadExport } from '../trajectories/transfer';
import { EventList } from './EventList';
import { countUpTo, loadEvents, type EventSource } from './event-source';
import { Labels } from './Labels';
import { LiveStepGraph } from './StepGraph';
import { useReplayRows } from './use-replay-rows';
import { Timeline } from './Timeline';
import { usePlayback } from './use-playback';
import { RerunButton } from '../run/RerunButton';
import { RenderedRunbook } from './RenderedRunbook';
import { TrajectoryIdContext } from './trajectory-id';
import { InputFiles } from './InputFiles';
import { NestedRuns } from './NestedRuns';
import { Relations, useRelations } from './Relations';

/** Loads the events in the background and follows a live run; re-renders once per animation frame as events arrive. */
function useEventSource(id: string, client: Client | null) {
  const [source, setSource] = useState<EventSource | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!client) return;
    let frame = 0;
    const s = loadEvents(
      id,
      () => {
        frame ||= requestAnimationFrame(() => {
          frame = 0;
          setVersion((v) => v + 1);
        });
      },
      (listener) => client.on('run.event', (e) => e.trajectoryId === id && listener(e.event)),
    );
    setSource(s);
    return () => {
      s.stop();
      cancelAnimationFrame(frame);
    };
  }, [id, client]);
  return { source, version };
}

const toggled = <T,>(set: Set<T>, item: T) => {
  const next = new Set(set);
  if (!next.delete(item)) next.add(item);
  return next;
};

function Steps({ trajectory }: { trajectory: Trajectory }) {
  const steps = Object.entries(trajectory.steps);
  if (steps.length === 0) return <p className="muted">No steps recorded.</p>;
  return (
    <ul className="step-list">
      {steps.map(([name, step]) => (
        <li key={name}>
          <details>
            <summary>
              <StatusPill status={step.status} /> {name}
            </summary>
            <JsonTree text={JSON.stringify({ inputs: step.inputs, outputs: step.outputs }, null, 1)} />
          </details>
        </li>
      ))}
    </ul>
  );
}

/** The replay viewer: timeline, grouped events with filters and search, and the run's results, inputs, nested runs, labels, export; `seq` is shown first (a search's hit). */
export function ReplayPage({ id, seq }: { id: string; seq?: number }) {
  const [trajectory, setTrajectory] = useState<Trajectory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const client = useConnection((s) => s.client);
  const show = useView((s) => s.show);
  const { source } = useEventSource(id, client);
  const [types, setTypes] = useState<Set<EventType> | null>(null);
  const [search, setSearch] = useState('');
  const [collapsedSteps, setCollapsedSteps] = useState<Set<string>>(new Set());
  const [collapsedCalls, setCollapsedCalls] = useState<Set<string>>(new Set());
  // The trajectory seen running here: its list keeps following the end, also for the last events that arrive with the final status.
  const [followed, setFollowed] = useState<string | null>(null);
  const relations = useRelations(id);

  useEffect(() => {
    setTrajectory(null);
    // A change that arrives before the first answer is newer than it.
    let changed = false;
    const off = client?.on('trajectory.changed', (t) => {
      if (t.id !== id) return;
      changed = true;
      setTrajectory(t);
    });
    apiClient()
      ['trajectory.get']({ id })
      .then((t) => changed || setTrajectory(t))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    return off;
  }, [id, client]);

  const loaded = source?.events.length ?? 0;
  const times = source?.times() ?? new Float64Array(0);
  const start = trajectory ? Math.min(Date.parse(trajectory.started_at ?? trajectory.created_at), loaded ? times[0] : Infinity) : 0;
  const end = Math.max(start, loaded ? times[loaded - 1] : start, trajectory?.ended_at ? Date.parse(trajectory.ended_at) : start);
  const playback = usePlayback(start, end);
  // Stepping lands on exact events (several can share a millisecond); playing and scrubbing go by time.
  const [stepped, setStepped] = useState<number | null>(null);
  const shown = stepped ?? (playback.atEnd ? loaded : countUpTo(times, loaded, playback.cursor));

  const { lines, rows } = useReplayRows(source?.events ?? null, loaded, shown, { types, search, collapsedSteps, collapsedCalls });

  const step = (delta: 1 | -1) => {
    playback.pause();
    const next = Math.min(loaded, Math.max(1, shown + delta));
    playback.seek(next >= loaded ? Infinity : times[next - 1]);
    setStepped(next >= loaded ? null : next);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select, button, a, [contenteditable]')) return;
      if (e.key === ' ') {
        setStepped(null);
        playback.toggle();
      }
      else if (e.key === 'ArrowRight') step(1);
      else if (e.key === 'ArrowLeft') step(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const live = trajectory?.status === 'running' || trajectory?.status === 'pending';
  if (live && followed !== id) setFollowed(id);
  if (error) return <main className="content page"><p className="notice notice-error">{error}</p></main>;
  if (!trajectory) return <main className="content page"><p className="placeholder">Loading trajectory {id}…</p></main>;
  return (
    <main className="replay" aria-label={`Replay of ${id}`}>
      <header className="page-header replay-header">
        <button type="button" className="back-link" onClick={() => show({ name: 'trajectories' })}>
          ← Trajectories
        </button>
        <h1>
          <span className="muted">{trajectory.collection}/</span>
          {trajectory.task} <code className="muted small">{trajectory.id}</code>
        </h1>
        <StatusPill status={trajectory.status} />
        {!live && trajectory.kind !== 'passthrough' && <EvaluationBadge evaluation={trajectory.evaluation} />}
        <Relations relations={relations} />
        <span className="spacer" />
        {live && (
          <button type="button" className="button" onClick={() => show({ name: 'live', id })} title="This run's log across the window">
            Live log
          </button>
        )}
        <RerunButton trajectory={trajectory} />
        <button type="button" className="button" onClick={() => show({ name: 'compare', ids: [id] })}>
          Compare…
        </button>
        <button type="button" className="button" onClick={() => void downloadExport(id).catch((err: unknown) => setError(String(err)))}>
          Export JSON
        </button>
        <button
          type="button"
          className="button"
          title="ATIF v1.7, Harbor's trajectory format"
          onClick={() => void downloadExport(id, 'atif').catch((err: unknown) => setError(String(err)))}
        >
          Export ATIF
        </button>
      </header>
      <div className="replay-body">
        <section className="replay-main" aria-label="Timeline and events">
          {trajectory.kind === 'workflow' && <LiveStepGraph id={id} onOpenRun={(run) => show({ name: 'replay', id: run })} />}
          <Timeline
            trajectory={trajectory}
            start={start}
            end={end}
            cursor={playback.cursor}
            shown={shown}
            total={Math.max(source?.total ?? 0, loaded)}
            playing={playback.playing}
            speed={playback.speed}
            onScrub={(t) => {
              playback.pause();
              setStepped(null);
              playback.seek(t);
            }}
            onPlay={() => {
              setStepped(null);
              playback.toggle();
            }}
            onStep={step}
            onSpeed={playback.setSpeed}
          />
          <div className="event-filters">
            <div className="type-chips" role="group" aria-label="Event types">
              {EventTypeSchema.options.map((t) => (
                <label key={t} className={`type-chip t-${t}`}>
                  <input type="checkbox" checked={!types || types.has(t)} onChange={() => setTypes(toggled(types ?? new Set(EventTypeSchema.options), t))} />
                  {t.replace('_', ' ')}
                </label>
              ))}
            </div>
          </div>
          {source?.error && <p className="notice notice-error">{source.error}</p>}
          <TrajectoryIdContext.Provider value={id}>
          {source?.done && loaded === 0 && live ? (
            <p className="placeholder">Waiting for the run's first event…</p>
          ) : source?.done && loaded === 0 ? (
            <div className="empty-state">
              <h2>No events</h2>
              <p>This trajectory carries no events (cloud run summaries hold steps, results and the evaluation only).</p>
            </div>
          ) : (
            <EventList
              events={source?.events ?? []}
              lines={lines}
              rows={rows}
              onSearch={setSearch}
              start={start}
              cursorIndex={shown - 1}
              follow={!playback.atEnd}
              tail={followed === id && playback.atEnd}
              collapsedSteps={collapsedSteps}
              collapsedCalls={collapsedCalls}
              onToggleStep={(s) => setCollapsedSteps(toggled(collapsedSteps, s))}
              onToggleCall={(c) => setCollapsedCalls(toggled(collapsedCalls, c))}
              focusSeq={seq}
            />
          )}
          </TrajectoryIdContext.Provider>
        </section>
        <aside className="replay-side" aria-label="Run details">
          <h3 className="section-title">Evaluation</h3>
          <EvaluationSummary evaluation={trajectory.evaluation} />
          <h3 className="section-title">Labels</h3>
          <Labels trajectory={trajectory} onChange={setTrajectory} />
          <h3 className="section-title">Results</h3>
          <ArtifactList trajectoryId={trajectory.id} artifacts={trajectory.artifacts} />
          {trajectory.kind === 'runbook' && (
            <>
              <h3 className="section-title">Input files</h3>
              <InputFiles trajectoryId={trajectory.id} />
            </>
          )}
          {trajectory.kind === 'workflow' && (
            <>
              <h3 className="section-title">Runs under it</h3>
              <NestedRuns id={trajectory.id} />
            </>
          )}
          <h3 className="section-title">Steps</h3>
          <Steps trajectory={trajectory} />
          <h3 className="section-title">Parameters</h3>
          <JsonTree text={JSON.stringify(trajectory.init_params)} />
          {trajectory.kind === 'runbook' && <RenderedRunbook trajectoryId={trajectory.id} />}
        </aside>
      </div>
    </main>
  );
}
