import { z } from 'zod';
import type { Diagnostic, McpServerDeclaration, Secret } from '../../../shared/runbook';
import { snapshotImageName } from '../sandbox/snapshots';
import { AGENT_FALLBACK_SETTING, agentForModel, isKnownAgent, KNOWN_AGENTS, runSettings, toolModelProvider } from './agents';
import { diagnostic } from './codes';
import { keyLine, type Frontmatter } from './frontmatter';
import { lineRange, type SourceText } from './source-text';
import { MCP_SERVERS_KEY, readMcpServers } from './mcp-servers';

const SecretDeclarationSchema = z
  .looseObject({ env: z.string().optional(), description: z.string().optional(), required: z.boolean().optional() })
  .nullable();

/** Known frontmatter keys; unknown keys are kept and not judged. */
export const FrontmatterSchema = z.looseObject({
  version: z.unknown(),
  evaluation: z.string().optional(),
  agent: z.string().optional(),
  model: z.string().optional(),
  model_provider: z.string().optional(),
  snapshot: z.string().optional(),
  image: z.string().optional(),
  secrets: z.record(z.string(), SecretDeclarationSchema).nullable().optional(),
  primary_outputs: z.array(z.string()).nullable().optional(),
  origin: z.record(z.string(), z.unknown()).nullable().optional(),
  title: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
});

/** Keys a run is configured from: a wrong type there breaks the run (error), elsewhere it is a warning. */
const RUN_KEYS = new Set(['agent', 'model', 'model_provider', 'snapshot', 'image', 'secrets']);
const EVALUATIONS = ['programmatic', 'rubric'];
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface FrontmatterReport {
  secrets: Secret[];
  /** `mcp_servers:` (the declarations without problems). */
  mcpServers: McpServerDeclaration[];
  diagnostics: Diagnostic[];
}

/** The snapshots this Jetty can build (`resources/sandboxes/<name>/Dockerfile`). */
export interface SnapshotCatalog {
  has(snapshot: string): boolean;
  /** All of them, for the message (read only when a snapshot is missing). */
  all(): readonly string[];
}

/**
 * Schema and consistency checks of a parsed frontmatter; also extracts declared secrets.
 * `snapshots`, when given, is asked only about a runbook that names a `snapshot:` and no `image:`.
 */
export function checkFrontmatter(source: SourceText, fm: Frontmatter, snapshots?: SnapshotCatalog): FrontmatterReport {
  const diagnostics: Diagnostic[] = [];
  if (!fm.present) {
    diagnostics.push(
      diagnostic('RB020', 'no YAML frontmatter: the run uses the default agent, model and snapshot', lineRange(source, 1), 'Start the file with `---`, `version: "1.0.0"`, `evaluation: programmatic`, `---`.'),
    );
    return { secrets: [], mcpServers: [], diagnostics };
  }
  if (fm.diagnostics.length > 0) return { secrets: [], mcpServers: [], diagnostics };

  const at = (...path: (string | number)[]) => lineRange(source, keyLine(source, fm, path));
  const parsed = FrontmatterSchema.safeParse(fm.data);
  const badKeys = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      badKeys.add(key);
      const where = issue.path.map(String).join('.');
      const code = RUN_KEYS.has(key) ? 'RB004' : 'RB031';
      diagnostics.push(diagnostic(code, `frontmatter '${where}': ${issue.message}`, at(...issue.path.map(String))));
    }
  }
  const data = fm.data;

  checkVersion(data.version, at('version'), diagnostics);

  if (data.evaluation === undefined) {
    diagnostics.push(diagnostic('RB029', 'frontmatter has no `evaluation`', lineRange(source, 1), 'Add `evaluation: programmatic` or `evaluation: rubric`.'));
  } else if (typeof data.evaluation === 'string' && !EVALUATIONS.includes(data.evaluation)) {
    diagnostics.push(
      diagnostic('RB007', `evaluation '${data.evaluation}' is not one of ${EVALUATIONS.join(', ')}`, at('evaluation'), 'Jetty reads `programmatic` and `rubric`; other values are not judged.'),
    );
  }

  const agent = typeof data.agent === 'string' ? data.agent.trim() : null;
  if (agent !== null && !isKnownAgent(agent)) {
    diagnostics.push(
      diagnostic('RB008', `unknown agent '${agent}'`, at('agent'), `Known agents: ${KNOWN_AGENTS.join(', ')}. Local runs fail, or use the built-in agent with ${AGENT_FALLBACK_SETTING}.`),
    );
  }
  checkAgentImage(data, at, diagnostics);
  if (snapshots && !badKeys.has('snapshot')) checkSnapshot(data, snapshots, at, diagnostics);
  const toolProvider = toolModelProvider(data);
  if (toolProvider !== null && typeof data.model === 'string') {
    const { agent: runAgent, model: runModel } = runSettings(data);
    diagnostics.push(
      diagnostic('RB033', `model '${data.model}' is served by '${toolProvider}', a tool's provider: the agent (${runAgent}) runs ${runModel}`, at('model'), 'Nothing to fix when a step calls that model; the agent keeps its own default model.'),
    );
  } else if (agent !== null && isKnownAgent(agent) && agent !== 'builtin' && typeof data.model === 'string') {
    const expected = agentForModel(data.model);
    if (expected !== null && expected !== agent) {
      diagnostics.push(
        diagnostic('RB009', `model '${data.model}' belongs to ${expected}, but the agent is ${agent}`, at('model'), `Use agent '${expected}', or a model that ${agent} runs.`),
      );
    }
  }

  const secrets = badKeys.has('secrets') ? [] : declaredSecrets(data.secrets, at, diagnostics);
  const mcp = readMcpServers(data[MCP_SERVERS_KEY], 'runbook');
  for (const p of mcp.problems) diagnostics.push(diagnostic(p.code, p.message, at(MCP_SERVERS_KEY, ...p.path), p.hint));
  return { secrets, mcpServers: mcp.servers, diagnostics };
}

/** A CLI agent in a custom image: only the snapshots are known to carry the agents' CLIs. */
function checkAgentImage(data: Record<string, unknown>, at: (...path: string[]) => Diagnostic['range'], out: Diagnostic[]) {
  const { agent, image } = runSettings(data);
  if (image === null || !isKnownAgent(agent) || agent === 'builtin') return;
  out.push(
    diagnostic(
      'RB032',
      `agent '${agent}' runs its CLI inside image '${image}', which must have it installed: without it the run fails (or uses the built-in agent with ${AGENT_FALLBACK_SETTING})`,
      at('image'),
      'Use a `snapshot:` (they carry the claude, codex and gemini CLIs), or an image with the CLI on its PATH.',
    ),
  );
}

/** A `snapshot:` with no Dockerfile here: a local run stops at the sandbox unless Docker already has its image. */
function checkSnapshot(data: Record<string, unknown>, snapshots: SnapshotCatalog, at: (...path: string[]) => Diagnostic['range'], out: Diagnostic[]) {
  const { snapshot, image } = runSettings(data);
  if (image !== null || typeof data.snapshot !== 'string' || snapshots.has(snapshot)) return;
  const known = snapshots.all();
  out.push(
    diagnostic(
      'RB034',
      `snapshot '${snapshot}' has no Dockerfile in this Jetty (it has ${known.join(', ') || 'none'}): a local run fails unless Docker already has ${snapshotImageName(snapshot)}`,
      at('snapshot'),
      'Name one of those snapshots, or set `image:` to an image with what the runbook needs. A remote Jetty runs it with its own snapshots.',
    ),
  );
}

function checkVersion(version: unknown, range: Diagnostic['range'], out: Diagnostic[]) {
  if (version === undefined || version === null) {
    out.push(diagnostic('RB005', 'frontmatter has no `version`', range, 'Add `version: "1.0.0"`; Jetty tracks deployments by it.'));
  } else if (typeof version !== 'string' || !SEMVER.test(version.trim())) {
    out.push(
      diagnostic('RB006', `version ${JSON.stringify(version)} is not a semver string (MAJOR.MINOR.PATCH)`, range, 'Write it quoted, e.g. `version: "1.0.0"` (YAML reads an unquoted 1.0 as the number 1).'),
    );
  }
}

function declaredSecrets(
  value: unknown,
  at: (...path: string[]) => Diagnostic['range'],
  out: Diagnostic[],
): Secret[] {
  if (value === null || value === undefined || typeof value !== 'object') return [];
  const secrets: Secret[] = [];
  for (const [name, raw] of Object.entries(value as Record<string, z.infer<typeof SecretDeclarationSchema>>)) {
    const env = typeof raw?.env === 'string' && raw.env.trim() !== '' ? raw.env.trim() : null;
    // A secret without `env` reaches the sandbox under its own name (runs/prepare.ts, render.ts).
    const variable = env ?? name;
    if (!ENV_NAME.test(variable)) {
      out.push(
        diagnostic('RB004', `secret '${name}' reaches the sandbox as '${variable}', which is not a valid environment variable name: shells drop it, so no command sees it`, env === null ? at('secrets', name) : at('secrets', name, 'env'), 'Set its `env:` to letters, digits and underscores, e.g. `API_KEY`.'),
      );
    }
    secrets.push({
      name,
      env,
      required: raw?.required ?? true,
      description: typeof raw?.description === 'string' ? raw.description : null,
    });
  }
  return secrets;
}
