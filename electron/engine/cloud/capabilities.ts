import { listAgentRuntimes } from '../agents/registry';

/**
 * What a remote Jetty can honour of a run or deploy, as its `GET /api/v1/health` answer
 * says in `capabilities` (a `jetty serve` says so; Jetty cloud's documented API does not,
 * so a remote that says nothing is taken at its documentation's word).
 */
export interface RemoteCapabilities {
  /** The agents its runs may use. */
  agents: string[];
  /** It takes a runbook's folder (`PUT /tasks/{c}/{t}/folder`, `jetty.folder` of a runbook-mode request). */
  runbookFolders: boolean;
  /** A runbook-mode request may name its sandbox image (`jetty.image`). */
  runImage: boolean;
  /** A runbook-mode request may carry its parameters as they are (`jetty.parameters`), not only in the user message. */
  runParameters: boolean;
  /** Whether the remote said so, or this is what Jetty cloud's documentation shows. */
  source: 'advertised' | 'documented';
}

/** The agents runbook mode takes on Jetty cloud (`../shared/docs/jetty-api.md`). */
export const CLOUD_AGENTS = ['claude-code', 'codex', 'gemini-cli'];

/** The `capabilities` this engine's `GET /api/v1/health` advertises. */
export const ownCapabilities = () => ({ agents: listAgentRuntimes(), runbook_folders: true, run_image: true, run_parameters: true });

/** A remote's capabilities from its health answer, read tolerantly (what it does not say is what the cloud documents). */
export function capabilitiesOf(health: Record<string, unknown>): RemoteCapabilities {
  const said = health.capabilities;
  if (typeof said !== 'object' || said === null || Array.isArray(said)) {
    return { agents: CLOUD_AGENTS, runbookFolders: false, runImage: false, runParameters: false, source: 'documented' };
  }
  const c = said as Record<string, unknown>;
  const agents = Array.isArray(c.agents) ? c.agents.filter((a): a is string => typeof a === 'string' && a.length <= 64).slice(0, 64) : CLOUD_AGENTS;
  return { agents, runbookFolders: c.runbook_folders === true, runImage: c.run_image === true, runParameters: c.run_parameters === true, source: 'advertised' };
}
