import { useEffect, useState } from 'react';
import type { RemotePlan } from '../../../../shared/cloud';
import { apiClient } from '../../stores/connection';
import { followRun, liveLog, useLiveRuns } from '../../stores/live-runs';
import { runInput } from '../run/file-choices';
import { FileField } from '../run/FileField';
import { LiveLogView } from '../run/LiveLogView';
import { defaultValues, ParameterForm, type ParamValues } from '../run/ParameterForm';
import { RunStatus } from '../run/RunStatus';
import { useRunbookAnalysis } from '../run/use-runbook-analysis';
import { TrialLines } from './Browse';
import { messageOf } from './cloud-store';
import { RemotePlanView } from './RemotePlanView';

/** The remote run's live log and status: the same views as a local run's, fed by `run.event` of its local mirror. */
function FollowedRun({ id }: { id: string }) {
  const trajectory = useLiveRuns((s) => s.trajectories[id]);
  const version = useLiveRuns((s) => s.version);
  if (!trajectory) return <p className="muted">Following the run…</p>;
  const log = liveLog(id);
  return (
    <section className="panel-section run-live cloud-followed" aria-label="Remote run">
      <RunStatus trajectory={trajectory} liveTokens={log.tokens} progress={log.progress}>
        <LiveLogView lines={log.lines} version={version} />
      </RunStatus>
    </section>
  );
}

/**
 * Runs the runbook on the remote as a local run of it would go: its parameters (file
 * parameters uploaded, as in the run panel), the plan's agent and model unless chosen here,
 * the runbook's folder; the plan is shown first, and a run it says cannot start is not
 * started. Followed live.
 */
export function RemoteRun({ path, collection, task, allowSecrets, blocked }: { path: string; collection: string; task: string; allowSecrets: string[]; blocked: boolean }) {
  const { analysis } = useRunbookAnalysis(path);
  const [values, setValues] = useState<ParamValues>({});
  const [agent, setAgent] = useState('');
  const [model, setModel] = useState('');
  const [plan, setPlan] = useState<RemotePlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ id?: string; trial: string[]; link?: string | null; message?: string; error?: boolean } | null>(null);
  const parameters = analysis?.parameters ?? [];
  useEffect(() => setValues(defaultValues(parameters)), [analysis]);
  const input = { path, collection, task: task || undefined, ...runInput(parameters, values), agent: agent || undefined, model: model || undefined };
  const key = JSON.stringify(input);

  // The plan follows the form (once typing pauses): what the run would use now, and whether it can start.
  useEffect(() => {
    if (!analysis || !collection) return;
    let current = true;
    const timer = setTimeout(() => {
      apiClient()
        ['cloud.runPlan'](input)
        .then((p) => current && (setPlan(p), setPlanError(null)))
        .catch((err: unknown) => current && (setPlan(null), setPlanError(messageOf(err))));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, analysis]);

  async function run() {
    setBusy(true);
    try {
      const submitted = await apiClient()['cloud.run']({ ...input, allowSecrets });
      if (submitted.status === 'queued') setOutcome({ trial: [], message: `Queued in the outbox (#${submitted.seq}): ${submitted.reason}. It is launched once when the remote is back.` });
      else {
        await followRun(submitted.result.localId);
        setOutcome({ id: submitted.result.localId, trial: submitted.result.trial, link: submitted.result.link });
      }
    } catch (err) {
      setOutcome({ trial: [], message: messageOf(err), error: true });
    } finally {
      setBusy(false);
    }
  }

  const offered = plan?.remote.agents ?? [];
  const refused = (plan?.problems.length ?? 0) > 0;
  return (
    <section className="cloud-run" aria-label="Run remotely">
      <h3 className="section-title">Run remotely</h3>
      {analysis && <ParameterForm parameters={parameters} values={values} onChange={setValues} fileField={FileField} />}
      <div className="cloud-run-options">
        <label>
          Agent
          <select className="text-input" value={agent} onChange={(e) => setAgent(e.target.value)}>
            <option value="">the plan’s{plan?.agent.value && !agent ? ` (${plan.agent.value})` : ''}</option>
            {[...new Set([...offered, ...(agent ? [agent] : [])])].map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Model
          <input className="text-input" value={model} placeholder={plan?.model.value ?? 'the plan’s'} onChange={(e) => setModel(e.target.value)} />
        </label>
        <button type="button" className="button button-primary" disabled={busy || blocked || !analysis || !plan || refused} onClick={() => void run()}>
          {busy ? 'Starting…' : 'Run remotely'}
        </button>
      </div>
      {plan && <RemotePlanView plan={plan} />}
      {planError && (
        <p className="notice notice-error" role="alert">
          {planError}
        </p>
      )}
      {outcome && <TrialLines lines={outcome.trial} />}
      {outcome?.message && (
        <p className={`notice ${outcome.error ? 'notice-error' : 'notice-warning'}`} role="status">
          {outcome.message}
        </p>
      )}
      {outcome?.link && (
        <a className="cloud-web-link" href={outcome.link} target="_blank" rel="noreferrer">
          open the run on the web
        </a>
      )}
      {outcome?.id && <FollowedRun id={outcome.id} />}
    </section>
  );
}
