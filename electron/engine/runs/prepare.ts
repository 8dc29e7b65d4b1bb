import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunSettings, RunbookAnalysis } from '../../../shared/runbook';
import { MissingParametersError, parseRunbookFile, renderRunbook } from '../runbook';
import { runbookFolder, RunbookFolderError, type RunbookFolder } from '../runbook/folder';
import { resolveMcpServers, type ResolvedMcpServers } from '../mcp-client/servers';
import { requestedSettings } from './resolve-run-plan';
import type { RunRequest } from './run-request';
import { toName } from '../../../shared/names';

/** A run that cannot start, with every reason (shown to the user as a list). */
export class RunPreparationError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(problems.length ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
    this.name = 'RunPreparationError';
  }
}

export interface PreparedRun {
  analysis: RunbookAnalysis;
  /** The runbook text with parameters substituted; secrets stay `$ENV` references. */
  rendered: string;
  /** The parameters as stored with the trajectory (never secrets). */
  initParams: Record<string, string>;
  /** Container environment: each declared secret under its `env` name, but those only MCP servers use. */
  secretEnv: Record<string, string>;
  /** Secret values by name, for redaction. */
  secretValues: Record<string, string>;
  settings: RunSettings;
  collection: string;
  task: string;
  files: string[];
  /** The runbook's folder (scripts, manifest, examples beside RUNBOOK.md), for the run's working directory. */
  folder: RunbookFolder;
  /** The files the runbook's output manifest requires, relative to the results folder. */
  requiredOutputs: string[];
  /** Its MCP servers with their secrets and parameters filled in, and the optional ones left out for want of a secret. */
  mcp: Pick<ResolvedMcpServers, 'servers' | 'skipped'>;
}

/** The collection and task of a runbook at `.../{collection}/{task}/RUNBOOK.md`. */
function placeOf(runbookPath: string): { collection: string; task: string } {
  const dir = path.dirname(path.resolve(runbookPath));
  return { task: path.basename(dir), collection: path.basename(path.dirname(dir)) || 'local' };
}

/** The collection a run is filed under: the request's, else the runbook's folder names. */
export function runCollection(request: Pick<RunRequest, 'runbookPath' | 'collection'>): string {
  // Folder names are free text; the trajectory's names follow the one name rule, so it exports and imports.
  return toName(request.collection ?? placeOf(request.runbookPath).collection);
}

/** The task a run is filed under: the request's, else the runbook's folder name. */
export function runTask(request: Pick<RunRequest, 'runbookPath' | 'task'>): string {
  return toName(request.task ?? placeOf(request.runbookPath).task, 'runbook');
}

async function checkFiles(files: string[]): Promise<string[]> {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const file of files) {
    const info = await stat(file).catch(() => null);
    if (!info) problems.push(`input file not found: ${file}`);
    else if (!info.isFile()) problems.push(`input is not a file: ${file}`);
    const name = path.basename(file);
    if (names.has(name)) problems.push(`two input files are both named ${name}; rename one`);
    names.add(name);
  }
  return problems;
}

/** Throws RunPreparationError listing the runbook's lint errors, if it has any. */
export function refuseLintErrors(runbookPath: string, analysis: RunbookAnalysis): void {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new RunPreparationError(
      `${runbookPath} has ${errors.length} lint error(s)`,
      errors.map((d) => `${d.range.line}:${d.range.column} ${d.code} ${d.message}`),
    );
  }
}

/**
 * Everything checked before a sandbox starts: the runbook parses with no errors, every
 * required parameter has a value, every required secret is present, input files exist.
 * Throws RunPreparationError listing all problems at once.
 */
export async function prepareRun(request: RunRequest): Promise<PreparedRun> {
  const parsed = await parseRunbookFile(request.runbookPath).catch((err: Error) => {
    throw new RunPreparationError(`cannot read runbook ${request.runbookPath}`, [err.message]);
  });
  const { analysis } = parsed;
  if (!request.runAnyway) refuseLintErrors(request.runbookPath, analysis);

  const problems: string[] = [];
  let rendered = '';
  try {
    rendered = renderRunbook(parsed, request.params ?? {}, { resultsDir: '/app/results' });
  } catch (err) {
    if (!(err instanceof MissingParametersError)) throw err;
    problems.push(...err.missing.map((name) => `missing required parameter '${name}' (pass --param ${name}=…)`));
  }

  const given = request.secrets ?? {};
  const secretEnv: Record<string, string> = {};
  const secretValues: Record<string, string> = {};
  // A secret only MCP servers use reaches them alone (stdio: their env; HTTP: the gateway's headers), not the sandbox's environment.
  const mcpOnly = new Set(analysis.mcpOnlySecrets ?? []);
  for (const secret of analysis.secrets) {
    const value = given[secret.name] ?? request.secretSource?.(secret.name);
    if (value === undefined || value === '') {
      if (secret.required) problems.push(`missing required secret '${secret.name}'`);
      continue;
    }
    if (!mcpOnly.has(secret.name)) secretEnv[secret.env ?? secret.name] = value;
    secretValues[secret.name] = value;
  }
  const undeclared = Object.keys(given).filter((name) => !analysis.secrets.some((s) => s.name === name));
  for (const name of undeclared) {
    secretEnv[name] = given[name];
    secretValues[name] = given[name];
  }

  const known = new Set(analysis.parameters.map((p) => p.name));
  const initParams: Record<string, string> = {};
  for (const p of analysis.parameters) {
    const value = request.params?.[p.name] ?? p.default;
    if (value !== null && value !== undefined) initParams[p.name] = value;
  }
  for (const [name, value] of Object.entries(request.params ?? {})) if (!known.has(name)) initParams[name] = value;
  initParams.results_dir = '/app/results';

  const envNames = new Map(analysis.secrets.flatMap((s) => (s.env ? [[s.env, s.name] as const] : [])));
  const mcp = resolveMcpServers(analysis.mcpServers ?? [], { secret: (name) => secretValues[name] ?? secretValues[envNames.get(name) ?? ''], params: initParams });
  problems.push(...mcp.problems);

  const files = request.files ?? [];
  problems.push(...(await checkFiles(files)));
  const folder = await runbookFolder(request.runbookPath).catch((error: Error) => {
    problems.push(error instanceof RunbookFolderError ? error.message : `the runbook's folder cannot be read: ${error.message}`);
    return null;
  });
  if (problems.length > 0 || !folder) throw new RunPreparationError('the run cannot start', problems);

  return {
    analysis,
    rendered,
    initParams,
    secretEnv,
    secretValues,
    // A model the request names decides the agent of a runbook that names none, as the runbook's model would.
    settings: requestedSettings(analysis.frontmatter, request.model),
    collection: runCollection(request),
    task: runTask(request),
    files: files.map((f) => path.resolve(f)),
    folder,
    requiredOutputs: parsed.requiredOutputs,
    mcp: { servers: mcp.servers, skipped: mcp.skipped },
  };
}
