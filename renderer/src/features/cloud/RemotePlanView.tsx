import type { RemotePlan } from '../../../../shared/cloud';
import { PlanRow } from '../run/RunPlanView';
import '../run/run-truth.css';

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

/**
 * What the remote run will use, as this machine's run plan decides it (agent, model, image,
 * the runbook's folder, the input files), what the remote cannot honour (warnings) and why
 * it cannot start (problems), shown before it is started.
 */
export function RemotePlanView({ plan }: { plan: RemotePlan }) {
  const folder = plan.folder.sent === null ? 'checked when the run is delivered' : plan.folder.sent ? 'goes with the run: its working directory holds it' : 'stays here: the remote takes RUNBOOK.md alone';
  return (
    <section className="run-plan cloud-remote-plan" aria-label="The remote run will use" data-problems={plan.problems.length}>
      <h4 className="section-title">The remote run will use</h4>
      <dl className="plan-list">
        <PlanRow name="agent" label="Agent" choice={plan.agent} />
        <PlanRow name="model" label="Model" choice={plan.model} />
        <PlanRow name="image" label="Image" choice={plan.image} />
        <div className="plan-row" data-plan="folder" data-sent={String(plan.folder.sent)}>
          <dt>Folder</dt>
          <dd>
            <span className="plan-value">
              {plan.folder.files} file{plan.folder.files === 1 ? '' : 's'}, {size(plan.folder.bytes)}
            </span>
            <small className="plan-reason">{folder}</small>
          </dd>
        </div>
        <div className="plan-row" data-plan="files">
          <dt>Files</dt>
          <dd>
            {plan.files.length === 0 ? (
              <span className="plan-value">none</span>
            ) : (
              plan.files.map((f) => (
                <code key={f} className="plan-value" data-plan-file={f}>
                  /app/assets/{f}{' '}
                </code>
              ))
            )}
          </dd>
        </div>
        <div className="plan-row" data-plan="remote">
          <dt>Remote</dt>
          <dd>
            <code className="plan-value">{plan.remote.baseUrl}</code>
            {plan.remote.agents && <small className="plan-reason">offers {plan.remote.agents.join(', ')}</small>}
          </dd>
        </div>
      </dl>
      {plan.warnings.map((w) => (
        <p key={w} className="notice notice-warning plan-warning">
          {w}
        </p>
      ))}
      {plan.problems.map((p) => (
        <p key={p} className="notice notice-error plan-problem">
          {p}
        </p>
      ))}
    </section>
  );
}
