import path from 'node:path';
import type { RemotePlan } from '../../../shared/cloud';
import type { RunPlanChoice } from '../../../shared/run-plan';
import type { RunbookAnalysis } from '../../../shared/runbook';
import { assembleRun, type RunSources } from '../runs/assemble-run';
import { resolveRunPlan, type ResolvedRun } from '../runs/resolve-run-plan';
import type { RunDoor } from '../runs/run-request';
import type { RemoteCapabilities } from './capabilities';
import { RUNBOOK_FILE } from './outgoing';

/** What a plan needs of the runbook's folder: its files' paths and their bytes. */
export interface FolderListing {
  paths: string[];
  bytes: number;
}

/** What a remote run is asked for: the runbook, where it is filed, and the caller's own choices. */
export interface RemoteRunOrder {
  runbookPath: string;
  collection: string;
  params: Record<string, string>;
  /** Local input files (uploaded; the run sees each as /app/assets/<name>). */
  files: readonly string[];
  agent?: string;
  model?: string;
  image?: string;
  door: RunDoor;
}

/** What the remote request carries of a plan: the agent, model and image to name, nothing else decided there. */
export interface RemoteChoices {
  agent: string;
  model: string;
  /** Only a choice made here (the run's, its collection's, Settings', JETTY_SANDBOX_IMAGE); otherwise the remote runs the runbook's image or snapshot. */
  image: string | null;
}

const ASSETS = '/app/assets/';

/**
 * The parameters a run would start with, checked as a local run checks them, before
 * anything leaves: a required parameter without a value, and a file parameter that names no
 * file sent with the run (or none at all), are problems.
 */
function parameterProblems(analysis: RunbookAnalysis, params: Record<string, string>, fileNames: readonly string[]): string[] {
  const problems: string[] = [];
  for (const p of analysis.parameters) {
    const value = params[p.name] ?? p.default ?? '';
    const label = p.label && p.label !== p.name ? `${p.label} (${p.name})` : p.name;
    if (p.type === 'file') {
      const named = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      if (p.required && named.length === 0) problems.push(`parameter ${label} needs a file, and none was given: choose one (it is uploaded, and the run sees it as ${ASSETS}<name>)`);
      for (const v of named.filter((n) => n.startsWith(ASSETS) && !fileNames.includes(n.slice(ASSETS.length)))) {
        problems.push(`parameter ${label} names ${v}, but no file ${v.slice(ASSETS.length)} goes with the run: add it`);
      }
    } else if (p.required && value.trim() === '') {
      problems.push(`missing required parameter ${label}`);
    }
  }
  const seen = new Set<string>();
  for (const name of fileNames) {
    if (seen.has(name)) problems.push(`two input files are both named ${name}; rename one`);
    seen.add(name);
  }
  return problems;
}

/**
 * The agent a plan names for a remote: the one it resolved (an agent this machine lacks
 * included: the remote may offer it), but the runbook's where the plan stood in the
 * built-in agent only because this machine lacks the runbook's.
 */
const remoteAgent = (resolved: ResolvedRun): string => (resolved.plan.agent.source === 'fallback' ? (resolved.plan.agent.runbook ?? resolved.agent) : resolved.agent);

/** The image a plan names for a remote: a choice made here; the runbook's own image or snapshot is the remote's to resolve. */
const remoteImage = (image: RunPlanChoice): string | null => (image.source === 'runbook' || image.source === 'default' ? null : image.value);

/**
 * The plan of a remote run: this machine's run plan (`assembleRun` then `resolveRunPlan`,
 * as a local run of the same order) decides agent, model and image; then what the remote
 * can honour (`capabilities`, null while it is unreachable) turns into problems (an agent
 * it does not offer: refused, never swapped) and warnings (a folder or image choice it
 * cannot take), each said before the run starts.
 */
export function planRemoteRun(
  order: RemoteRunOrder,
  analysis: RunbookAnalysis,
  folder: FolderListing,
  sources: RunSources,
  remote: { baseUrl: string; capabilities: RemoteCapabilities | null },
): { plan: RemotePlan; choices: RemoteChoices } {
  const request = assembleRun({ runbookPath: order.runbookPath, collection: order.collection, agent: order.agent, model: order.model, image: order.image, door: order.door }, sources);
  const resolved = resolveRunPlan(request, analysis, sources.env);
  const local = resolved.plan;
  const caps = remote.capabilities;
  const agent = remoteAgent(resolved);
  const image = remoteImage(local.image);
  const fileNames = order.files.map((f) => path.basename(f));
  const problems = parameterProblems(analysis, order.params, fileNames);
  const warnings: string[] = [];

  let agentChoice: RunPlanChoice = local.agent.source === 'fallback' ? { ...local.agent, value: agent, source: 'runbook', reason: null } : { ...local.agent, value: agent };
  if (caps && !caps.agents.includes(agent)) {
    const problem = `agent ${agent} (${agentChoice.source}) is not offered by ${remote.baseUrl}, which offers ${caps.agents.join(', ')}: choose one of those`;
    agentChoice = { ...agentChoice, value: null, reason: problem };
    problems.push(problem);
  }
  let imageChoice: RunPlanChoice = local.image;
  if (caps && image && !caps.runImage) {
    const warning = `${remote.baseUrl} takes no image choice: its run uses the runbook's ${local.image.runbook}, not ${image} (${local.image.source})`;
    imageChoice = { ...local.image, value: local.image.runbook, source: 'runbook', reason: warning };
    warnings.push(warning);
  }
  const besides = folder.paths.filter((p) => p !== RUNBOOK_FILE);
  if (caps && !caps.runbookFolders && besides.length > 0) {
    const shown = besides.slice(0, 5).join(', ') + (besides.length > 5 ? ` and ${besides.length - 5} more` : '');
    warnings.push(`${remote.baseUrl} takes no runbook folder: its run sees RUNBOOK.md without ${shown}`);
  }
  if (!caps) warnings.push(`${remote.baseUrl} cannot be reached: the run waits in the outbox, and what the remote can honour (agent, folder, image) is checked when it is delivered`);

  return {
    plan: {
      remote: { baseUrl: remote.baseUrl, agents: caps?.agents ?? null, capabilities: caps?.source ?? null },
      agent: agentChoice,
      model: local.model,
      image: imageChoice,
      parameters: order.params,
      files: fileNames,
      folder: { files: folder.paths.length, bytes: folder.bytes, sent: caps ? caps.runbookFolders : null },
      warnings,
      problems,
    },
    choices: { agent, model: local.model.value ?? local.model.runbook ?? '', image: caps && !caps.runImage ? null : image },
  };
}

/** Why a queued run cannot go to the remote as it is now (checked at delivery): an agent it does not offer. */
export function deliveryRefusal(choices: Pick<RemoteChoices, 'agent'>, capabilities: RemoteCapabilities, baseUrl: string): string | null {
  if (capabilities.agents.includes(choices.agent)) return null;
  return `agent ${choices.agent} is not offered by ${baseUrl}, which offers ${capabilities.agents.join(', ')}: run it again naming one of those`;
}
