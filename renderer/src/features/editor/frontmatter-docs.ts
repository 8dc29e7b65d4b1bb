import { KNOWN_AGENTS } from '../../../../shared/agents';

/** What each frontmatter key means and the values it takes (docs/runbook-format.md). */
export interface KeyDoc {
  key: string;
  doc: string;
  values?: string[];
  /** Text inserted after `key:` when completing the key. */
  snippet?: string;
}

export const SNAPSHOTS = ['python312-uv', 'prism-playwright'];

export const FRONTMATTER_KEYS: KeyDoc[] = [
  { key: 'version', doc: 'The runbook version, a semver string such as "1.0.0".', snippet: ' "1.0.0"' },
  { key: 'evaluation', doc: 'How the output is judged: `programmatic` (PASS/PARTIAL/FAIL checks) or `rubric` (1–5 scores).', values: ['programmatic', 'rubric'] },
  { key: 'agent', doc: 'The agent runtime. Default: inferred from `model`, else `claude-code`. `builtin` is Jetty’s own agent (OpenAI-compatible).', values: [...KNOWN_AGENTS] },
  { key: 'model', doc: 'The model for the agent, e.g. `claude-sonnet-4-6`, `gpt-5.4`, `gemini-3.1-pro-preview`. Default `claude-sonnet-4-6`.', values: ['claude-sonnet-4-6', 'gpt-5.4', 'gemini-3.1-pro-preview'] },
  { key: 'model_provider', doc: 'A routing hint for the model.', values: ['anthropic', 'openrouter', 'openai', 'google'] },
  { key: 'snapshot', doc: 'The sandbox environment the run gets. Default `python312-uv`.', values: SNAPSHOTS },
  { key: 'image', doc: 'A custom container image instead of a snapshot, e.g. `ghcr.io/org/env:v1`.' },
  { key: 'secrets', doc: 'Declared credentials: a map NAME → `{env, description, required}`. Values come from the secret store at run time and are redacted everywhere.', snippet: '\n  NAME:\n    env: NAME\n    description: \n    required: true' },
  { key: 'primary_outputs', doc: 'The headline deliverables, in order: a list of file names under the results folder.', snippet: '\n  - summary.md' },
  { key: 'origin', doc: 'Provenance: a free-form map.' },
  { key: 'title', doc: 'The runbook’s display title (else the first `#` heading).' },
  { key: 'name', doc: 'The runbook’s display name.' },
  { key: 'description', doc: 'A one-line description.' },
];

export const keyDoc = (key: string) => FRONTMATTER_KEYS.find((k) => k.key === key);
