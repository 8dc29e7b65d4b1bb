import { isKnownAgent, type AgentName } from '../../../shared/agents';
import type { RunSettings } from '../../../shared/runbook';

export { isKnownAgent, KNOWN_AGENTS, type AgentName } from '../../../shared/agents';

export const RUNBOOK_DEFAULTS = { agent: 'claude-code', model: 'claude-sonnet-4-6', snapshot: 'python312-uv' } as const;

/** Each agent's model when the runbook names none (Jetty's pairing; the built-in agent keeps the general default). */
export const DEFAULT_MODELS: Record<AgentName, string> = {
  'claude-code': 'claude-sonnet-4-6',
  codex: 'gpt-5.4',
  'gemini-cli': 'gemini-3.1-pro-preview',
  builtin: RUNBOOK_DEFAULTS.model,
};

/** The setting under which a runbook whose agent cannot run here uses the built-in agent instead of failing. */
export const AGENT_FALLBACK_VARIABLE = 'JETTY_AGENT_FALLBACK';
export const AGENT_FALLBACK_SETTING = `${AGENT_FALLBACK_VARIABLE}=builtin`;

const MODEL_FAMILIES: [RegExp, AgentName][] = [
  [/^(claude-|anthropic\/)/, 'claude-code'],
  [/^(gpt-|o1-|o3-|o4-|o1$|o3$|o4$|openai\/)/, 'codex'],
  [/^(gemini-|gemini\/|google\/)/, 'gemini-cli'],
];

/** The CLI agent a model belongs to (`openrouter/` prefixes ignored), or null when unknown. */
export function agentForModel(model: string): AgentName | null {
  const id = model.trim().toLowerCase().replace(/^openrouter\//, '');
  for (const [pattern, agent] of MODEL_FAMILIES) if (pattern.test(id)) return agent;
  return null;
}

/** Providers an agent's model comes through; any other `model_provider` (`replicate`, `fal`…) serves a tool the runbook calls. */
const AGENT_MODEL_PROVIDERS = new Set(['anthropic', 'openai', 'openrouter', 'google', 'gemini', 'vertex_ai', 'bedrock', 'azure']);

const frontmatterText = (frontmatter: Record<string, unknown>, key: string) => {
  const value = frontmatter[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};

/** The frontmatter's `model_provider` when it names a tool's provider, so its `model` is that tool's, not the agent's. */
export function toolModelProvider(frontmatter: Record<string, unknown>): string | null {
  const provider = frontmatterText(frontmatter, 'model_provider');
  return provider !== null && !AGENT_MODEL_PROVIDERS.has(provider.toLowerCase()) ? provider : null;
}

/** Agent, model and sandbox of a runbook, with the documented defaults and inference. */
export function runSettings(frontmatter: Record<string, unknown>): RunSettings {
  const text = (key: string) => frontmatterText(frontmatter, key);
  const model = toolModelProvider(frontmatter) === null ? text('model') : null;
  const agent = text('agent') ?? (model ? agentForModel(model) : null) ?? RUNBOOK_DEFAULTS.agent;
  return {
    agent,
    model: model ?? (isKnownAgent(agent) ? DEFAULT_MODELS[agent] : RUNBOOK_DEFAULTS.model),
    snapshot: text('snapshot') ?? RUNBOOK_DEFAULTS.snapshot,
    image: text('image'),
  };
}
