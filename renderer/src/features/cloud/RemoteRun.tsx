import { useEffect, useState } from 'react';
import { KNOWN_AGENTS } from '../../../../shared/agents';
import { apiClient } from '../../stores/connection';
import { followRun, liveLog, useLiveRuns } from '../../stores/live-runs';
import { LiveLogView } from '../run/LiveLogView';
import { defaultValues, ParameterForm, type ParamValues } from '../run/ParameterForm';
import { RunStatus } from '../run/RunStatus';
import { useRunbookAnalysis } from '../run/use-runbook-analysis';
import { TrialLines } from './Browse';
import { messageOf } from './cloud-store';


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

/** Runs the runbook on the remote (parameters, agent, model) and follows it live. */
export function RemoteRun({ path, collection, task, allowSecrets, blocked }: { path: string; collection: string; task: string; allowSecrets: string[]; blocked: boolean }) {
  const { analysis } = useRunbookAnalysis(path);
  const [values, setValues] = useState<ParamValues>({});
  const [agent, setAgent] = useState('claude-code');
  const [model, setModel] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ id?: string; trial: string[]; link?: string | null; message?: string; error?: boolean } | null>(null);
  const parameters = analysis?.parameters ?? [];
  useEffect(() => setValues(defaultValues(parameters)), [analysis]);

  async function run() {
    setBusy(true);
    try {
      const params = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
      const submitted = await apiClient()['cloud.run']({ path, collection, task, params, agent, model: model || undefined, allowSecrets });
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

  return (
    <section className="cloud-run" aria-label="Run remotely">
      <h3 className="section-title">Run remotely</h3>
      {analysis && <ParameterForm parameters={parameters} values={values} onChange={setValues} />}
      <div className="cloud-run-options">
        <label>
          Agent
          <select className="text-input" value={agent} onChange={(e) => setAgent(e.target.value)}>
            {KNOWN_AGENTS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Model
          <input className="text-input" value={model} placeholder="the remote's default" onChange={(e) => setModel(e.target.value)} />
        </label>
        <button type="button" className="button button-primary" disabled={busy || blocked || !analysis} onClick={() => void run()}>
          {busy ? 'Starting…' : 'Run remotely'}
        </button>
      </div>
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
