import type { RunPlan, RunPlanChoice } from '../../../../shared/contract';
import type { RunPlanMcpServer } from '../../../../shared/run-plan';
import './run-truth.css';
import type { DockerStatus } from '../connection/use-docker-status';

const ROWS: [keyof Pick<RunPlan, 'agent' | 'model' | 'endpoint' | 'image'>, string][] = [
  ['agent', 'Agent'],
  ['model', 'Model'],
  ['endpoint', 'Endpoint'],
  ['image', 'Image'],
];

/** One thing a run uses, beside the runbook's own choice when they differ, and why (also the remote run's plan, features/cloud). */
export function PlanRow({ name, label, choice }: { name: string; label: string; choice: RunPlanChoice }) {
  const differs = choice.runbook !== null && choice.value !== choice.runbook;
  return (
    <div className="plan-row" data-plan={name} data-substituted={differs}>
      <dt>{label}</dt>
      <dd>
        {choice.value === null ? (
          <span className="plan-value">{choice.source === 'runbook' ? 'none' : choice.source}</span>
        ) : (
          <code className="plan-value">{choice.value}</code>
        )}
        {choice.value !== null && choice.source !== 'runbook' && <span className="muted small"> from {choice.source}</span>}
        {differs && (
          <span className="plan-runbook small">
            {' '}
            · runbook: <code>{choice.runbook}</code>
          </span>
        )}
        {choice.reason && <small className="plan-reason">{choice.reason}</small>}
      </dd>
    </div>
  );
}

/** The MCP servers the run's agent gets: each one's name, its command line or URL (its headers stay on this machine), optional or not, and where it was declared. */
function McpServersRow({ servers }: { servers: RunPlanMcpServer[] }) {
  return (
    <div className="plan-row" data-plan="mcp">
      <dt>MCP servers</dt>
      <dd>
        <ul className="plan-mcp-servers">
          {servers.map((s) => (
            <li key={s.name} data-mcp-server={s.name}>
              <strong>{s.name}</strong> <span className="muted small">{s.transport === 'stdio' ? 'stdio in the sandbox' : 'HTTP through the gateway'}</span> <code className="plan-value">{s.target}</code>
              {s.optional && <span className="muted small"> · optional</span>}
              {s.source === 'collection' && <span className="muted small"> · from the collection's collection.json</span>}
            </li>
          ))}
        </ul>
      </dd>
    </div>
  );
}

/** What the run will actually use, each beside the runbook's own choice when they differ, and why. */
export function RunPlanView({ plan, docker }: { plan: RunPlan; docker: DockerStatus | null }) {
  return (
    <section className="panel-section run-plan" aria-label="This run will use">
      <h3 className="section-title">This run will use</h3>
      <dl className="plan-list">
        {ROWS.map(([name, label]) => (
          <PlanRow key={name} name={name} label={label} choice={plan[name]} />
        ))}
        {plan.mcpServers.length > 0 && <McpServersRow servers={plan.mcpServers} />}
        {docker && (
          <div className="plan-row" data-plan="docker" data-docker={String(docker.available)}>
            <dt>Docker</dt>
            <dd>
              <span className={`pill ${docker.available ? 'pill-ok' : 'pill-error'}`}>{docker.available ? `reachable${docker.version ? ` (${docker.version})` : ''}` : 'unreachable'}</span>{' '}
              <span className="muted small">at {docker.host}</span>
            </dd>
          </div>
        )}
      </dl>
      {plan.problems.map((p) => (
        <p key={p} className="notice notice-error plan-problem">
          {p}
        </p>
      ))}
    </section>
  );
}
