import type { RunPlan, RunPlanChoice } from '../../../shared/contract';
import type { RunPlanMcpServer } from '../../../shared/run-plan';
import type { McpServerDeclaration, RunbookAnalysis, RunSettings } from '../../../shared/runbook';
import { getAgentRuntime, listAgentRuntimes } from '../agents/registry';
import { PROVIDER_VARIABLES, type AgentRuntime } from '../agents/types';
import { AGENT_FALLBACK_SETTING, AGENT_FALLBACK_VARIABLE, runSettings } from '../runbook';
import { stat } from 'node:fs/promises';
import { knownCapabilities, probeLocalServer } from '../proxy/local-servers';
import { missingKeyProblem } from './provider-keys';
import { endpointFor, runProviders } from './run-gateway-access';
import type { ChoiceOrigins, RunRequest } from './run-request';

export const BUILTIN_AGENT = 'builtin';
export const FALLBACK_HINT = `or set ${AGENT_FALLBACK_SETTING} to run it with the built-in agent`;

/** The runbook's settings as a request's model changes them: a model decides the agent of a runbook that names none. */
export function requestedSettings(frontmatter: Record<string, unknown>, model: string | undefined): RunSettings {
  return runSettings(model ? { ...frontmatter, model } : frontmatter);
}

/** What the plan's warnings may use beyond the request: the runbook's prompt size, estimated from its file. */
export interface RunPlanFacts {
  promptTokens?: number;
}

/** The agent's own instructions and tool definitions, beside the runbook, in tokens (about). */
const AGENT_PROMPT_TOKENS = 1500;
const BYTES_PER_TOKEN = 4;

/** Warnings about a local model that cannot take the run: no tools, or a context smaller than the runbook's prompt. */
function capabilityWarnings(model: string, facts: RunPlanFacts): string[] {
  const known = knownCapabilities(model);
  if (!known) return [];
  const warnings: string[] = [];
  if (known.tools === 'no') warnings.push(`model ${model} does not take tools (its server says so): the agent works through tool calls, so the run will likely fail — pick a model with tool support`);
  if (known.context !== null && facts.promptTokens !== undefined && known.context < facts.promptTokens) {
    warnings.push(`model ${model} has a context of ${known.context} tokens, smaller than the runbook's prompt (about ${facts.promptTokens} tokens): the server will cut it (Ollama silently, from the front) — raise the model's context (num_ctx) or pick a larger one`);
  }
  return warnings;
}

/**
 * The run plan, after asking a local model server about the run's model when nothing is
 * known of it yet (tools, context size), so a model that cannot take the run is warned
 * about before it starts. Used by the runner and `run.plan`; a server that does not answer
 * adds nothing.
 */
export async function planRun(request: RunRequest, analysis: RunbookAnalysis, env: NodeJS.ProcessEnv): Promise<ResolvedRun> {
  const first = resolveRunPlan(request, analysis, env);
  let provider;
  try {
    provider = first.plan.problems.length === 0 ? runProviders(getAgentRuntime(first.agent), request, first.model, env).resolve(first.model).provider : null;
  } catch {
    provider = null;
  }
  if (!provider?.local) return first;
  if (!knownCapabilities(first.model)) await probeLocalServer(provider);
  const size = await stat(request.runbookPath).then((s) => s.size, () => null);
  return resolveRunPlan(request, analysis, env, size === null ? {} : { promptTokens: Math.ceil(size / BYTES_PER_TOKEN) + AGENT_PROMPT_TOKENS });
}

/** What the resolution needs besides the plan itself: the agent the runner starts and the one that may stand in. */
export interface ResolvedRun {
  plan: RunPlan;
  agent: string;
  /** The built-in agent, standing in when the agent's CLI turns out missing from the image (fall-back on). */
  fallbackAgent: string | null;
  model: string;
  /** An image that replaces the runbook's snapshot/image, if any. */
  imageOverride: string | undefined;
}

function endpointChoice(runtime: AgentRuntime, request: RunRequest, env: NodeJS.ProcessEnv, origins: ChoiceOrigins): RunPlanChoice {
  const variable = PROVIDER_VARIABLES[runtime.provider].baseURL;
  const { baseURL } = endpointFor(runtime, request, env);
  if (!baseURL) return choice(null, null, 'the provider default', `${variable} is not set`);
  return choice(baseURL, null, request.baseURL ? (origins.baseURL ?? 'the request') : (origins.variables?.[variable] ?? variable));
}

/** An MCP server as the plan shows it: its command line or URL (never its headers or env values). */
export function planMcpServer(server: McpServerDeclaration): RunPlanMcpServer {
  const target = server.transport === 'stdio' ? [server.command ?? '', ...(server.args ?? [])].join(' ') : (server.url ?? '');
  return { name: server.name, transport: server.transport, target, optional: server.optional, source: server.source };
}

const choice = (value: string | null, runbook: string | null, source: string, reason: string | null = null): RunPlanChoice => ({ value, runbook, source, reason });

function resolveAgent(request: RunRequest, settings: RunSettings, fallbackOn: boolean, origins: ChoiceOrigins) {
  const runbookAgent = settings.agent;
  const available = listAgentRuntimes();
  if (request.agent) {
    const from = origins.agent ?? 'the request';
    if (!available.includes(request.agent)) {
      const problem = `agent '${request.agent}' (${from}) is not available in Jetty Desktop (it has ${available.join(', ')})`;
      return { agent: choice(null, runbookAgent, from, problem), name: request.agent, fallback: null, problem };
    }
    const reason = request.agent === runbookAgent ? null : `${from} names ${request.agent}`;
    return { agent: choice(request.agent, runbookAgent, from, reason), name: request.agent, fallback: null, problem: null };
  }
  if (available.includes(runbookAgent)) {
    const fallback = fallbackOn && runbookAgent !== BUILTIN_AGENT ? BUILTIN_AGENT : null;
    const cli = getAgentRuntime(runbookAgent).cli;
    const note = fallback && cli ? `the built-in agent stands in if the sandbox image lacks the ${cli} CLI (${AGENT_FALLBACK_SETTING})` : null;
    return { agent: choice(runbookAgent, runbookAgent, 'runbook', note), name: runbookAgent, fallback, problem: null };
  }
  const missing = `agent '${runbookAgent}' is not available in Jetty Desktop (it has ${available.join(', ')})`;
  if (!fallbackOn) {
    return { agent: choice(null, runbookAgent, 'runbook', missing), name: runbookAgent, fallback: null, problem: `${missing}: name one of those in the runbook, ${FALLBACK_HINT}` };
  }
  const reason = `${missing}; using the built-in agent (${AGENT_FALLBACK_SETTING})`;
  return { agent: choice(BUILTIN_AGENT, runbookAgent, 'fallback', reason), name: BUILTIN_AGENT, fallback: null, problem: null };
}

/**
 * The image a run uses, in one precedence: the request's (the run's own choice, else its
 * collection's, else Settings' default image, as assembleRun fills it in and names it in
 * `origins.image`), else `JETTY_SANDBOX_IMAGE`, else the runbook's `image`, else its
 * `snapshot`, else the default snapshot.
 */
function resolveImageChoice(request: RunRequest, analysis: RunbookAnalysis, env: NodeJS.ProcessEnv, origins: ChoiceOrigins) {
  const own = analysis.settings;
  const runbookImage = own.image ?? `snapshot ${own.snapshot}`;
  if (request.image) {
    const from = origins.image ?? 'the request';
    return { override: request.image, choice: choice(request.image, runbookImage, from, request.image === runbookImage ? null : `${from} names ${request.image}`) };
  }
  const fromEnv = env.JETTY_SANDBOX_IMAGE || undefined;
  if (fromEnv) return { override: fromEnv, choice: choice(fromEnv, runbookImage, 'JETTY_SANDBOX_IMAGE', `JETTY_SANDBOX_IMAGE is set to ${fromEnv}`) };
  const named = analysis.frontmatter.image !== undefined || analysis.frontmatter.snapshot !== undefined;
  return { override: undefined, choice: choice(runbookImage, runbookImage, named ? 'runbook' : 'default') };
}

/**
 * What a run will actually use — agent, model, endpoint and image — after the request,
 * Settings, the overrides (`JETTY_MODEL`, `JETTY_SANDBOX_IMAGE`) and the agent fall-back,
 * each beside the runbook's own choice, with why they differ, and why it cannot start
 * (an agent Jetty lacks, a model key that is not configured). The runner starts from
 * this, before any sandbox, and records each substitution as a warning; `run.plan` shows
 * it before a run.
 */
export function resolveRunPlan(request: RunRequest, analysis: RunbookAnalysis, env: NodeJS.ProcessEnv, facts: RunPlanFacts = {}): ResolvedRun {
  const origins = request.choiceOrigins ?? {};
  const own = analysis.settings;
  const settings = requestedSettings(analysis.frontmatter, request.model);
  const fallbackOn = request.agentFallback ?? env[AGENT_FALLBACK_VARIABLE] === BUILTIN_AGENT;
  const agent = resolveAgent(request, settings, fallbackOn, origins);

  const model = request.model
    ? choice(request.model, own.model, origins.model ?? 'the request', request.model === own.model ? null : `${origins.model ?? 'the request'} names ${request.model}`)
    : env.JETTY_MODEL
      ? choice(env.JETTY_MODEL, own.model, 'JETTY_MODEL', env.JETTY_MODEL === own.model ? null : `JETTY_MODEL is set to ${env.JETTY_MODEL}`)
      : choice(settings.model, own.model, 'runbook');

  const runtime = agent.problem ? null : getAgentRuntime(agent.agent.value ?? agent.name);
  const endpoint = runtime ? endpointChoice(runtime, request, env, origins) : choice(null, null, 'none', agent.problem);

  const { override: imageOverride, choice: image } = resolveImageChoice(request, analysis, env, origins);
  const modelName = model.value ?? settings.model;
  const keyProblem = runtime ? missingKeyProblem(runtime, request, modelName, env) : null;

  const substituted = (what: string, c: RunPlanChoice) =>
    c.value !== null && c.runbook !== null && c.value !== c.runbook ? [`${what} ${c.value} instead of the runbook's ${c.runbook}: ${c.reason ?? c.source}`] : [];
  const warnings = [...substituted('agent', agent.agent), ...substituted('model', model), ...substituted('image', image), ...capabilityWarnings(modelName, facts)];

  return {
    plan: {
      agent: agent.agent,
      model,
      endpoint,
      image,
      mcpServers: (analysis.mcpServers ?? []).map(planMcpServer),
      warnings,
      problems: [agent.problem, keyProblem].filter((p): p is string => p !== null),
      lintErrors: analysis.diagnostics.filter((d) => d.severity === 'error').length,
    },
    agent: agent.agent.value ?? agent.name,
    fallbackAgent: agent.fallback,
    model: modelName,
    imageOverride,
  };
}
