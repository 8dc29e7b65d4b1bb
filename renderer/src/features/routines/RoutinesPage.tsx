import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { DAYS_OF_WEEK, cadenceText, type Cadence, type Routine } from '../../../../shared/routines';
import { apiClient, useConnection } from '../../stores/connection';
import { useView } from '../../stores/view';
import { cadenceOf } from './cadence-form';
import './routines.css';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const CADENCES: Cadence['type'][] = ['manual', 'hourly', 'daily', 'weekdays', 'weekly'];
const where = (r: Routine) => ({ collection: r.collection, task: r.task, name: r.name });

/** A new routine: the task it runs, its cadence in UTC, overrides of the task's parameters (JSON), a webhook. */
function NewRoutine({ onError }: { onError(message: string | null): void }) {
  const [collection, setCollection] = useState('');
  const [task, setTask] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState<Cadence['type']>('daily');
  const [time, setTime] = useState('09:00');
  const [day, setDay] = useState<string>('mon');
  const [overrides, setOverrides] = useState('');
  const [webhook, setWebhook] = useState('');
  const create = async () => {
    let params: Record<string, unknown> | undefined;
    try {
      params = overrides.trim() ? (JSON.parse(overrides) as Record<string, unknown>) : undefined;
    } catch (err) {
      onError(`Parameter overrides are not JSON: ${messageOf(err)}`);
      return;
    }
    await apiClient()['routine.create']({
      collection,
      task,
      routine: { name, cadence: cadenceOf(type, time, day), init_params_overrides: params, webhook_url: webhook || undefined },
    });
    setName('');
    onError(null);
  };
  return (
    <form
      className="routine-card routine-form"
      aria-label="New routine"
      onSubmit={(e) => {
        e.preventDefault();
        void create().catch((err: unknown) => onError(messageOf(err)));
      }}
    >
      <label>
        Collection
        <input className="text-input" value={collection} onChange={(e) => setCollection(e.target.value)} required />
      </label>
      <label>
        Task (runbook or workflow)
        <input className="text-input" value={task} onChange={(e) => setTask(e.target.value)} required />
      </label>
      <label>
        Routine name
        <input className="text-input" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        Cadence
        <select className="text-input" value={type} onChange={(e) => setType(e.target.value as Cadence['type'])}>
          {CADENCES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      {type !== 'manual' && (
        <label>
          {type === 'hourly' ? 'Minute (UTC, the hour is ignored)' : 'Time (UTC)'}
          <input className="text-input" type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
        </label>
      )}
      {type === 'weekly' && (
        <label>
          Day
          <select className="text-input" value={day} onChange={(e) => setDay(e.target.value)}>
            {DAYS_OF_WEEK.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
      )}
      <label className="routine-form-wide">
        Parameter overrides (JSON, keys among the task’s parameters)
        <input className="text-input" value={overrides} placeholder='{"topic": "billing"}' onChange={(e) => setOverrides(e.target.value)} />
      </label>
      <label className="routine-form-wide">
        Webhook URL (optional: a POST when each run ends)
        <input className="text-input" type="url" value={webhook} onChange={(e) => setWebhook(e.target.value)} />
      </label>
      <button type="submit" className="button button-primary">
        Create routine
      </button>
    </form>
  );
}

/** A routine's firings, newest first: each one's note (a missed or late one says so) and its run, opened in replay. */
function RoutineRuns({ routine }: { routine: Routine }) {
  const [runs, setRuns] = useState<MethodOutput<'routine.runs'> | null>(null);
  const show = useView((s) => s.show);
  const client = useConnection((s) => s.client);
  useEffect(() => {
    const load = () => void apiClient()['routine.runs']({ ...where(routine), limit: 20 }).then(setRuns, () => setRuns([]));
    load();
    return client?.on('routines.changed', load);
  }, [routine, client]);
  if (!runs) return <p className="muted small">Reading its runs…</p>;
  if (runs.length === 0) return <p className="muted small">No runs yet.</p>;
  return (
    <ul className="routine-runs" aria-label={`Runs of ${routine.name}`}>
      {runs.map((f) => (
        <li key={f.trajectory_id} data-routine-run={f.trajectory_id}>
          <button type="button" className="link-button" onClick={() => show({ name: 'replay', id: f.trajectory_id })}>
            <code>{f.trajectory_id}</code>
          </button>{' '}
          {new Date(f.fired_at).toLocaleString()} · {f.status ?? f.state} · <span data-note>{f.note}</span>
        </li>
      ))}
    </ul>
  );
}

function RoutineCard({ routine, onError }: { routine: Routine; onError(message: string | null): void }) {
  const [open, setOpen] = useState(false);
  const act = (call: () => Promise<unknown>) => void call().then(() => onError(null), (err: unknown) => onError(messageOf(err)));
  const api = apiClient();
  return (
    <section className="routine-card" data-routine={`${routine.collection}/${routine.task}/${routine.name}`} aria-label={`Routine ${routine.name}`}>
      <div className="routine-head">
        <div>
          <strong>{routine.name}</strong>{' '}
          <span className="muted">
            {routine.collection}/{routine.task}
          </span>
        </div>
        <span className={`pill ${routine.paused ? 'pill-muted' : 'pill-ok'}`}>{routine.paused ? 'paused' : 'active'}</span>
      </div>
      <p className="small">
        {cadenceText(routine.cadence)}
        {routine.next_run_at && !routine.paused && <> · next {new Date(routine.next_run_at).toLocaleString()}</>}
        {routine.last_run_at && <> · last {new Date(routine.last_run_at).toLocaleString()}</>}
      </p>
      {(Object.keys(routine.init_params_overrides).length > 0 || routine.secret_params.length > 0 || routine.webhook_url) && (
        <p className="muted small">
          {Object.keys(routine.init_params_overrides).length > 0 && <>parameters {JSON.stringify(routine.init_params_overrides)} </>}
          {routine.secret_params.length > 0 && <>· secrets {routine.secret_params.join(', ')} </>}
          {routine.webhook_url && <>· webhook {routine.webhook_url}</>}
        </p>
      )}
      <div className="routine-actions">
        <button type="button" className="button button-small" onClick={() => act(() => api['routine.runNow'](where(routine)).then(() => setOpen(true)))}>
          Run now
        </button>
        <button type="button" className="button button-small" onClick={() => act(() => api[routine.paused ? 'routine.resume' : 'routine.pause'](where(routine)))}>
          {routine.paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="button button-small button-quiet" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide runs' : 'Runs'}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => act(() => api['routine.delete'](where(routine)))}>
          Delete
        </button>
      </div>
      {open && <RoutineRuns routine={routine} />}
    </section>
  );
}

/** Routines: scheduled runs of runbooks and workflow tasks (they fire while the app runs; a missed slot runs once). */
export function RoutinesPage() {
  const [routines, setRoutines] = useState<Routine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const client = useConnection((s) => s.client);
  const load = useCallback(() => void apiClient()['routine.list']({}).then(setRoutines, (err: unknown) => setError(messageOf(err))), []);
  useEffect(() => {
    load();
    return client?.on('routines.changed', load);
  }, [client, load]);
  return (
    <main className="content page routines-page">
      <header className="page-header">
        <h1>Routines</h1>
        <span className="muted small">Scheduled runs, in UTC. They fire while the app runs; a slot missed while it was closed or asleep runs once.</span>
      </header>
      <NewRoutine onError={setError} />
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {routines === null ? (
        <p className="placeholder">Reading the routines…</p>
      ) : routines.length === 0 ? (
        <p className="muted" data-routines-empty>
          No routines yet.
        </p>
      ) : (
        routines.map((r) => <RoutineCard key={r.id} routine={r} onError={setError} />)
      )}
    </main>
  );
}
