import path from 'node:path';
import type { RunbookAnalysis } from '../../../shared/runbook';
import { hasSnapshot, knownSnapshots, sandboxesDirOrNull } from '../sandbox/snapshots';
import { parseRunbook, unusableRunbook, type AnalyzeOptions, type ParsedRunbook } from './analyze';
import type { SnapshotCatalog } from './frontmatter-checks';
import { diagnostic } from './codes';
import { COLLECTION_FILE } from './mcp-servers';
import { MAX_RUNBOOK_BYTES, readTextFile, TextFileError } from './read-file';
import { spanRange } from './source-text';
import { folderIgnores, withoutIgnored } from './suppression';

export { parseRunbook, type AnalyzeOptions, type ParsedRunbook } from './analyze';
export { AGENT_FALLBACK_SETTING, AGENT_FALLBACK_VARIABLE, agentForModel, KNOWN_AGENTS, RUNBOOK_DEFAULTS, runSettings } from './agents';
export { CODES, type Code } from './codes';
export { LINT_CONFIG_FILE, LINT_IGNORE_KEY } from './suppression';
export { MissingParametersError, renderRunbook, type ParameterValue, type RenderOptions } from './render';

/** Parses and lints a runbook's text (with its folder's manifest.json text, if any). Never throws. */
export function analyzeRunbookText(text: string, options: AnalyzeOptions): RunbookAnalysis {
  return parseRunbook(text, options).analysis;
}

/** A file beside (or above) a runbook: its text, nothing when absent, or why it cannot be read. */
async function readBeside(file: string): Promise<{ text?: string; problem?: string }> {
  try {
    return { text: await readTextFile(file) };
  } catch (err) {
    if (err instanceof TextFileError && err.problem === 'not_found') return {};
    return { problem: (err as Error).message };
  }
}

let sandboxes: { override: string | undefined; dir: string | null } | undefined;

/**
 * This Jetty's snapshots (`resources/sandboxes`, or `JETTY_SANDBOXES_DIR`): the folder is
 * found once, its Dockerfiles are looked up at each lint (a snapshot added later counts).
 */
function localSnapshots(): SnapshotCatalog | undefined {
  const override = process.env.JETTY_SANDBOXES_DIR;
  if (!sandboxes || sandboxes.override !== override) sandboxes = { override, dir: sandboxesDirOrNull() };
  const { dir } = sandboxes;
  return dir === null ? undefined : { has: (snapshot) => hasSnapshot(dir, snapshot), all: () => knownSnapshots(dir) };
}

/** Parses runbook text with the manifest.json found next to `file`, without the rules its folders silence. */
async function parseWithManifest(file: string, text: string): Promise<ParsedRunbook> {
  const folder = path.dirname(file);
  const collectionFile = path.join(path.dirname(folder), COLLECTION_FILE);
  const [manifest, collection, ignored] = await Promise.all([readBeside(path.join(folder, 'manifest.json')), readBeside(collectionFile), folderIgnores(file)]);
  const parsed = parseRunbook(text, { path: file, manifest: manifest.text, collection: collection.text, snapshots: localSnapshots() });
  if (manifest.problem) {
    parsed.analysis.diagnostics.unshift(diagnostic('RB024', `manifest.json: ${manifest.problem}`, spanRange(1, 1, 1)));
  }
  if (collection.problem) {
    // The file's own name, not its place on this machine.
    parsed.analysis.diagnostics.unshift(diagnostic('RB038', `${COLLECTION_FILE}: ${collection.problem.replaceAll(collectionFile, COLLECTION_FILE)}`, spanRange(1, 1, 1)));
  }
  parsed.analysis.diagnostics = withoutIgnored(parsed.analysis.diagnostics, ignored);
  return parsed;
}

/**
 * Reads and parses a RUNBOOK.md with its folder's manifest.json (and its collection's
 * collection.json), for rendering a run.
 * Throws TextFileError when the file cannot be read as text.
 */
export async function parseRunbookFile(file: string): Promise<ParsedRunbook> {
  return parseWithManifest(file, await readTextFile(file));
}

/**
 * Reads and analyses a RUNBOOK.md and its folder's manifest.json. `text` replaces the
 * file's content (an unsaved edit). Content that is not usable text (binary, too large)
 * becomes a diagnostic; a path that is missing or a directory throws TextFileError.
 */
export async function analyzeRunbookFile(file: string, text?: string): Promise<RunbookAnalysis> {
  let content = text;
  if (content === undefined) {
    try {
      content = await readTextFile(file);
    } catch (err) {
      if (err instanceof TextFileError && err.problem === 'binary') return unusableRunbook(file, 'RB022', err.message);
      if (err instanceof TextFileError && err.problem === 'too_large') {
        return unusableRunbook(file, 'RB023', err.message, `Keep runbooks under ${MAX_RUNBOOK_BYTES / 1048576} MB.`);
      }
      throw err;
    }
  }
  return (await parseWithManifest(file, content)).analysis;
}
