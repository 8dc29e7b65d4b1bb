import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Trajectory, TrajectoryEvent } from '../../../shared/trajectory';
import { evaluationVerdict, type EvaluationVerdict } from '../../../shared/evaluation';
import { eventSummary } from '../../../shared/event-text';
import { LogLines } from '../features/events/log-lines';
import { apiClient } from './connection';
import { setPanelRunCheck } from './running';
import { useSelection } from './selection';

/** A run's events as they arrive, in seq order, and their log lines; kept outside React state and read on render. */
export interface LiveLog {
  events: TrajectoryEvent[];
  /** Its lines: terminal output split at newlines across chunks. */
  lines: LogLines;
  tokens: number;
  /** The latest image build/pull progress while the sandbox is being prepared. */
  progress: string | null;
}

/** How a runbook's last run stands, kept across reloads for the runbook list. */
export interface LastRun {
  status: Trajectory['status'];
  verdict: EvaluationVerdict;
}

interface LiveRunsState {
  /** The latest run started from each runbook (by runbook path), kept across reloads. */
  byRunbook: Record<string, string>;
  /** Those runs' states, by trajectory id, kept across reloads. */
  lastRuns: Record<string, LastRun>;
  /** Headers of the runs started here, updated by `trajectory.changed`. */
  trajectories: Record<string, Trajectory>;
  /** Bumped once per animation frame when new events arrived: components re-read the logs. */
  version: number;
  /** Starts a run; `runAnyway` starts it despite lint errors, `image` is its own sandbox image, `rerunOf` the run it re-runs. Resolves with the error to show, or null. */
  start(runbookPath: string, input: { params: Record<string, string>; files: string[]; uploads?: string[]; runAnyway?: boolean; image?: string; rerunOf?: string }): Promise<string | null>;
  cancel(trajectoryId: string): Promise<void>;
  /** Records a run started from a runbook or workflow file as that file's latest (its row's mark, its panel after a reload). */
  track(path: string, trajectoryId: string): void;
}

const logs = new Map<string, LiveLog>();
let framePending = false;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

const lastRunOf = (t: Trajectory): LastRun => ({ status: t.status, verdict: evaluationVerdict(t.evaluation) });

export const useLiveRuns = create<LiveRunsState>()(
  persist(
    (set, get) => ({
      byRunbook: {},
      lastRuns: {},
      trajectories: {},
      version: 0,
      async start(runbookPath, input) {
        try {
          const { trajectoryId } = await apiClient()['run.start']({ runbookPath, ...input });
          get().track(runbookPath, trajectoryId);
          await followRun(trajectoryId);
          return null;
        } catch (err) {
          return messageOf(err);
        }
      },
      async cancel(trajectoryId) {
        await apiClient()['run.cancel']({ trajectoryId });
      },
      track(path, trajectoryId) {
        set((s) => {
          const byRunbook = { ...s.byRunbook, [path]: trajectoryId };
          return { byRunbook, lastRuns: keptFor(byRunbook, { ...s.lastRuns, [trajectoryId]: { status: 'pending', verdict: 'none' } }) };
        });
      },
    }),
    { name: 'jetty.lastRuns', version: 1, partialize: (s) => ({ byRunbook: s.byRunbook, lastRuns: s.lastRuns }) },
  ),
);

/** The states of the runs `byRunbook` names, no others. */
const keptFor = (byRunbook: Record<string, string>, states: Record<string, LastRun>) => Object.fromEntries(Object.values(byRunbook).filter((id) => states[id]).map((id) => [id, states[id]]));

// A run ending while its runbook's panel is on screen is seen there.
setPanelRunCheck((id) => {
  const path = useSelection.getState().path;
  return path !== null && useLiveRuns.getState().byRunbook[path] === id;
});

/** The runs whose header and events so far were asked for (a log made on render does not count: it holds only what arrived since). */
const followed = new Set<string>();

/** Follows a run once in this window (after a reload, or in a pop-out, its header and log are read again); a failed read is tried again next time. */
export function followOnce(trajectoryId: string): void {
  if (followed.has(trajectoryId)) return;
  void followRun(trajectoryId).catch(() => followed.delete(trajectoryId));
}

/** Follows a started run (local, or a remote one mirrored locally): its header and events so far, then `run.event` and `trajectory.changed`. */
export async function followRun(trajectoryId: string): Promise<void> {
  followed.add(trajectoryId);
  liveLog(trajectoryId);
  const [header, { events }] = await Promise.all([
    apiClient()['trajectory.get']({ id: trajectoryId }),
    apiClient()['trajectory.events']({ id: trajectoryId, afterSeq: 0, limit: 10_000 }),
  ]);
  events.forEach((e) => appendEvent(trajectoryId, e));
  useLiveRuns.setState((s) => ({
    trajectories: { [trajectoryId]: s.trajectories[trajectoryId] ?? header, ...s.trajectories },
    ...(s.lastRuns[trajectoryId] ? { lastRuns: { ...s.lastRuns, [trajectoryId]: lastRunOf(s.trajectories[trajectoryId] ?? header) } } : {}),
  }));
}

/** The live log of a run (empty until its first event). */
export function liveLog(trajectoryId: string): LiveLog {
  let log = logs.get(trajectoryId);
  if (!log) logs.set(trajectoryId, (log = { events: [], lines: new LogLines(), tokens: 0, progress: null }));
  return log;
}

/** Adds an event (duplicates and stale ones are ignored); the UI catches up on the next frame. */
export function appendEvent(trajectoryId: string, event: TrajectoryEvent): void {
  const log = liveLog(trajectoryId);
  const last = log.events.at(-1);
  if (last && event.seq <= last.seq) {
    if (log.events.some((e) => e.seq === event.seq)) return;
    log.events.push(event);
    log.events.sort((a, b) => a.seq - b.seq);
    log.lines = LogLines.of(log.events);
  } else {
    log.events.push(event);
    log.lines.append(event);
  }
  if (event.type === 'progress') log.progress = eventSummary(event);
  else if (event.type === 'status' && event.step === 'sandbox') log.progress = null;
  if (event.type === 'model_call') log.tokens += Number((event.payload.usage as { total_tokens?: number } | undefined)?.total_tokens ?? 0);
  if (!framePending) {
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      useLiveRuns.setState((s) => ({ version: s.version + 1 }));
    });
  }
}

/** Applies a `trajectory.changed` event to the runs followed here and to runbooks' last runs. */
export function updateTrajectory(t: Trajectory): void {
  const { trajectories, lastRuns } = useLiveRuns.getState();
  const followed = logs.has(t.id) || trajectories[t.id] !== undefined;
  if (!followed && !lastRuns[t.id]) return;
  useLiveRuns.setState((s) => ({
    ...(followed ? { trajectories: { ...s.trajectories, [t.id]: t } } : {}),
    ...(s.lastRuns[t.id] ? { lastRuns: { ...s.lastRuns, [t.id]: lastRunOf(t) } } : {}),
  }));
}
