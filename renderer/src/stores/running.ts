import { create } from 'zustand';
import type { Trajectory } from '../../../shared/trajectory';
import { verdictLabel } from '../../../shared/evaluation';
import type { EvaluationStatus } from '../../../shared/evaluations';
import { apiClient } from './connection';
import { useView, type View } from './view';

const LIVE = new Set(['pending', 'running']);
export const isLive = (t: Pick<Trajectory, 'status'>) => LIVE.has(t.status);

/** Runs are runbooks' and workflows' (a passthrough model call is a part of one, or a client's own request). */
const isRun = (t: Pick<Trajectory, 'kind'>) => t.kind !== 'passthrough';

/** Whether a run is a part of something larger (a workflow's child, an evaluation's trial): it is not announced by itself. */
const isPart = (id: string) =>
  apiClient()
    ['trajectory.relations']({ id })
    .then((r) => r.parent !== null || r.evaluation !== null)
    .catch(() => false);

/** A run or an evaluation that ended while the app was not showing it: shown as a toast until dismissed or opened. */
export interface Ended {
  kind: 'run' | 'evaluation';
  /** The trajectory's or the evaluation's id. */
  id: string;
  title: string;
  status: string;
  /** How it came out: a run's verdict, an evaluation's trials passed. */
  verdict: string;
  /** What opening it shows: the run's replay, the evaluation in Evaluate. */
  view: View;
}

interface RunningState {
  /** Every pending or running trajectory of this engine (started here or anywhere else), by id. */
  runs: Record<string, Trajectory>;
  /** Runs and evaluations that ended unseen, newest first. */
  ended: Ended[];
  /** Loads the runs going on now (at start and after each reconnect). */
  load(): Promise<void>;
  /** Applies a `trajectory.changed` event. */
  changed(t: Trajectory): void;
  /** Applies an `evaluation.changed` event. */
  evaluationChanged(change: { id: string; status: EvaluationStatus }): void;
  dismiss(id: string): void;
}

/** What a run is doing: its running step in words, else its status. */
export function phaseOf(t: Trajectory): string {
  const running = Object.entries(t.steps).filter(([, s]) => s.status === 'running').map(([name]) => name).at(-1);
  const words: Record<string, string> = { prepare: 'preparing', sandbox: 'starting the sandbox', agent: 'agent working', collect: 'collecting results', evaluate: 'evaluating' };
  return running ? (words[running] ?? running) : t.status === 'pending' ? 'waiting to start' : 'running';
}

/** Whether the app is showing this run now (its live view, its replay, or its runbook's run panel). */
function showing(t: Trajectory, runbookRun: (id: string) => boolean): boolean {
  if (typeof document !== 'undefined' && document.hidden) return false;
  const { view } = useView.getState();
  if ((view.name === 'live' || view.name === 'replay') && view.id === t.id) return true;
  return view.name === 'runbooks' && runbookRun(t.id);
}

/** Asks to show notifications (from a click: browsers ask only then); resolves whether they are allowed. */
export async function allowNotifications(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'default') await Notification.requestPermission();
  return Notification.permission === 'granted';
}

/** Tells the user a run or an evaluation ended: a system notification when allowed (clicking it shows what ended), and a toast in the app. */
function announce(ended: Ended): void {
  useRunning.setState((s) => ({ ended: [ended, ...s.ended.filter((e) => e.id !== ended.id)].slice(0, 5) }));
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    const what = ended.kind === 'run' ? 'Run' : 'Evaluation';
    const note = new Notification(`${ended.title}: ${ended.status}`, { body: `${what} ${ended.id} ${ended.status} · ${ended.verdict}`, tag: `jetty-${ended.kind}-${ended.id}` });
    note.onclick = () => {
      window.focus();
      useView.getState().show(ended.view);
      useRunning.getState().dismiss(ended.id);
    };
  }
}

/** Whether the user is looking at one of these evaluations now. */
const showingEvaluation = (ids: readonly (string | undefined)[]): boolean => {
  const { view } = useView.getState();
  return !(typeof document !== 'undefined' && document.hidden) && view.name === 'evaluate' && view.evaluation !== null && ids.includes(view.evaluation);
};

/**
 * An ended evaluation as announced: its runbook and name, and its trials passed; null when it
 * is shown now, itself or (a suggested edit's) the evaluation its suggestions panel is on.
 */
async function endedEvaluation(id: string, status: EvaluationStatus): Promise<Ended | null> {
  const { evaluation, cells } = await apiClient()['evaluation.get']({ id });
  if (showingEvaluation([id, evaluation.suggestion_of?.evaluation_id])) return null;
  const passed = cells.reduce((n, c) => n + c.passed, 0);
  const trials = cells.reduce((n, c) => n + c.trials, 0);
  // A suggested edit's evaluation ran on a copy, gone since: it opens under the runbook of the evaluation it was suggested for.
  const source = evaluation.suggestion_of && (await apiClient()['evaluation.get']({ id: evaluation.suggestion_of.evaluation_id })).evaluation;
  const view: View = { name: 'evaluate', runbook: (source || evaluation).runbook_path, evaluation: id, compare: null };
  return { kind: 'evaluation', id, title: `${evaluation.collection}/${evaluation.task} · ${evaluation.name}`, status, verdict: `${passed}/${trials} trials passed`, view };
}

/** Evaluations seen running: only those are announced when they end. */
const liveEvaluations = new Set<string>();

/** Set by the run panel's store: whether a run is the one the open runbook's panel shows. */
let isPanelRun: (id: string) => boolean = () => false;
export const setPanelRunCheck = (check: (id: string) => boolean) => (isPanelRun = check);

/**
 * The runs going on now, for the header's indicator, the window title and the runbook list;
 * and the runs that end while the app is not showing them (a notification, a toast).
 */
export const useRunning = create<RunningState>((set, get) => ({
  runs: {},
  ended: [],
  async load() {
    const client = apiClient();
    const pages = await Promise.all(['running', 'pending'].map((status) => client['trajectory.list']({ status: status as 'running', limit: 200 })));
    set({ runs: Object.fromEntries(pages.flatMap((p) => p.trajectories).filter(isRun).map((t) => [t.id, t])) });
  },
  changed(t) {
    const { runs } = get();
    if (!isRun(t)) return;
    if (isLive(t)) return set({ runs: { ...runs, [t.id]: t } });
    if (!runs[t.id]) return;
    const { [t.id]: _gone, ...rest } = runs;
    set({ runs: rest });
    if (showing(t, isPanelRun)) return;
    void isPart(t.id).then((part) => {
      if (part) return;
      announce({ kind: 'run', id: t.id, title: `${t.collection}/${t.task}`, status: t.status, verdict: verdictLabel(t.evaluation), view: { name: 'replay', id: t.id } });
    });
  },
  evaluationChanged({ id, status }) {
    if (status === 'running') return void liveEvaluations.add(id);
    if (!liveEvaluations.delete(id) || showingEvaluation([id])) return;
    void endedEvaluation(id, status)
      .then((ended) => ended && announce(ended))
      .catch(() => undefined);
  },
  dismiss: (id) => set((s) => ({ ended: s.ended.filter((e) => e.id !== id) })),
}));

// The window's title says how many runs are going on.
useRunning.subscribe(({ runs }) => {
  const n = Object.keys(runs).length;
  document.title = n > 0 ? `(${n} running) Jetty Desktop` : 'Jetty Desktop';
});
