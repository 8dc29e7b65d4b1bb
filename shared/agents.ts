/** Agent runtimes a runbook may name; `builtin` is Jetty Desktop's own tool-calling agent, the others run their CLI in the sandbox. */
export const KNOWN_AGENTS = ['claude-code', 'codex', 'gemini-cli', 'builtin'] as const;
export type AgentName = (typeof KNOWN_AGENTS)[number];

export const isKnownAgent = (name: string): name is AgentName => (KNOWN_AGENTS as readonly string[]).includes(name);
