import type { Diagnostic, McpServerDeclaration, RunbookAnalysis, Secret } from '../../../shared/runbook';
import { runSettings } from './agents';
import { diagnostic, type Code } from './codes';
import { keyBlock, parseFrontmatter, type Frontmatter } from './frontmatter';
import { checkFrontmatter, type SnapshotCatalog } from './frontmatter-checks';
import { buildOutline } from './headings';
import { mergeManifestInputs, parseManifest } from './manifest';
import { scanMarkdown, type TemplateRef } from './markdown-scan';
import { COLLECTION_FILE, MCP_SERVERS_KEY, mergeMcpServers, readCollectionMcpServers, secretsOfServer } from './mcp-servers';
import { requiredOutputFiles } from './output-manifest';
import { findParametersTable, parseParametersTable } from './parameters-table';
import { MAX_RUNBOOK_BYTES } from './read-file';
import { lineRange, spanRange, toSourceText, type SourceText } from './source-text';
import { withQuickFixes } from './quick-fixes';
import { checkStructure } from './structure-checks';
import { frontmatterIgnores, withoutIgnored } from './suppression';
import { checkVariables } from './variable-checks';

export interface AnalyzeOptions {
  path: string;
  /** The text of the runbook folder's manifest.json, when it has one. */
  manifest?: string;
  /** The snapshots this Jetty can build; without it a `snapshot:` is not judged (RB034). */
  snapshots?: SnapshotCatalog;
  /** The text of the collection's collection.json (the folder above the runbook's), when it has one. */
  collection?: string;
}

/** An analysis plus what rendering needs: the normalised text and where its template references are. */
export interface ParsedRunbook {
  analysis: RunbookAnalysis;
  source: SourceText;
  /** Every `{{…}}` the run substitutes, in file order (the Parameters table's too). */
  refs: TemplateRef[];
  /** The files the output manifest requires, relative to the results folder. */
  requiredOutputs: string[];
}

const FIRST_CELL = spanRange(1, 1, 1);

/** The analysis of a file that could not be parsed at all: one diagnostic, nothing else. */
export function unusableRunbook(path: string, code: Code, message: string, hint?: string): RunbookAnalysis {
  return {
    path,
    frontmatter: {},
    parameters: [],
    secrets: [],
    variables: [],
    diagnostics: [diagnostic(code, message, FIRST_CELL, hint)],
    title: null,
    headings: [],
    settings: runSettings({}),
  };
}

function refuse(raw: string, path: string): RunbookAnalysis | null {
  if (raw.length > MAX_RUNBOOK_BYTES) {
    return unusableRunbook(path, 'RB023', `runbook is ${(raw.length / 1048576).toFixed(1)} MB; the limit is ${MAX_RUNBOOK_BYTES / 1048576} MB`, 'Split it, or move reference material into separate files.');
  }
  if (raw.includes('\0')) return unusableRunbook(path, 'RB022', 'runbook contains NUL bytes: it is not a text file', 'Save it as UTF-8 text.');
  if (raw.trim() === '') {
    return unusableRunbook(path, 'RB021', 'runbook is empty', 'Start from a template: frontmatter, then Objective, REQUIRED OUTPUT FILES, Parameters and Steps.');
  }
  return null;
}

function mergeSecrets(declared: Secret[], fromManifest: Secret[]): Secret[] {
  const known = new Set(declared.flatMap((s) => [s.name, s.env]));
  return [...declared, ...fromManifest.filter((s) => !known.has(s.name))];
}

/** The collection's MCP servers, with what is wrong with its file (at the runbook's first line, naming the file). */
function collectionServers(text: string | undefined, source: SourceText): { servers: McpServerDeclaration[]; diagnostics: Diagnostic[] } {
  if (text === undefined) return { servers: [], diagnostics: [] };
  const read = readCollectionMcpServers(text);
  const first = lineRange(source, 1);
  if ('unusable' in read) {
    return { servers: [], diagnostics: [diagnostic('RB038', `${COLLECTION_FILE}: ${read.unusable}`, first, `Fix the collection's ${COLLECTION_FILE} (the folder above this runbook's): its \`${MCP_SERVERS_KEY}\` give every runbook there its MCP servers.`)] };
  }
  return { servers: read.servers, diagnostics: read.problems.map((p) => diagnostic(p.code, `${COLLECTION_FILE}: ${p.message}`, first, p.hint)) };
}

/**
 * The secrets the collection's servers use that the runbook does not declare: declared for
 * it (a runbook need not know its collection's servers), required unless the server is optional.
 */
function impliedSecrets(servers: McpServerDeclaration[], declared: Secret[]): Secret[] {
  const known = new Set(declared.flatMap((s) => [s.name, s.env]));
  const implied = new Map<string, Secret>();
  for (const server of servers) {
    for (const name of secretsOfServer(server)) {
      if (known.has(name)) continue;
      const prior = implied.get(name);
      const required = (prior?.required ?? false) || !server.optional;
      implied.set(name, { name, env: null, required, description: prior?.description ?? `for the MCP server '${server.name}' (${COLLECTION_FILE})` });
    }
  }
  return [...implied.values()];
}

/**
 * The declared secrets only MCP servers use: referenced in a server's declaration and nowhere
 * else in the runbook (outside its `mcp_servers` block). They stay out of the sandbox's
 * environment: an HTTP server's headers are added by the gateway, a stdio server gets only
 * those its `env` names.
 */
function mcpOnlySecrets(servers: McpServerDeclaration[], secrets: Secret[], refs: readonly TemplateRef[], source: SourceText, fm: Frontmatter): string[] {
  const block = keyBlock(source, fm, MCP_SERVERS_KEY);
  const elsewhere = new Set(refs.filter((r) => r.secret && !(block && r.line >= block.first && r.line <= block.last)).map((r) => r.name));
  const used = new Set(servers.flatMap(secretsOfServer));
  const names = (s: Secret) => (s.env ? [s.name, s.env] : [s.name]);
  return secrets.filter((s) => names(s).some((n) => used.has(n)) && !names(s).some((n) => elsewhere.has(n))).map((s) => s.name);
}

const byPosition = (a: Diagnostic, b: Diagnostic) => a.range.line - b.range.line || a.range.column - b.range.column;

/** Parses and lints one runbook's text; never throws. */
export function parseRunbook(raw: string, options: AnalyzeOptions): ParsedRunbook {
  const source = toSourceText(raw);
  const refused = refuse(raw, options.path);
  if (refused) {
    const { refs } = scanMarkdown(source, Infinity);
    const variables = new Set(refs.flatMap((r) => (r.secret ? [] : [r.name])));
    return { analysis: { ...refused, variables: [...variables] }, source, refs, requiredOutputs: [] };
  }

  const fm = parseFrontmatter(source);
  const scan = scanMarkdown(source, fm.bodyStartLine);
  const outline = buildOutline(scan.headings, source.lines.length);
  const declarations = findParametersTable(source, outline.sections);
  // Uses are references outside the table that declares them.
  const refs = declarations
    ? scan.refs.filter((r) => r.line < declarations.firstLine || r.line > declarations.lastLine)
    : scan.refs;
  const used = new Set(refs.filter((r) => !r.secret).map((r) => r.name));
  const table = declarations ? parseParametersTable(source, declarations, used) : { parameters: [], diagnostics: [] };
  const manifest = options.manifest === undefined ? null : parseManifest(options.manifest, lineRange(source, 1));
  const parameters = mergeManifestInputs(table.parameters, manifest?.inputs ?? [], used);
  const frontmatter = checkFrontmatter(source, fm, options.snapshots);
  const fromCollection = collectionServers(options.collection, source);
  const mcpServers = mergeMcpServers(frontmatter.mcpServers, fromCollection.servers);
  const declared = mergeSecrets(frontmatter.secrets, manifest?.secrets ?? []);
  const secrets = [...declared, ...impliedSecrets(mcpServers.filter((s) => s.source === 'collection'), declared)];
  const mcpOnly = mcpOnlySecrets(mcpServers, secrets, scan.refs, source, fm);

  const diagnostics = [
    ...fm.diagnostics,
    ...frontmatter.diagnostics,
    ...fromCollection.diagnostics,
    ...(manifest?.diagnostics ?? []),
    ...table.diagnostics,
    ...checkVariables(source, refs, parameters, table.parameters, secrets),
    ...checkStructure(source, outline.sections, fm.bodyStartLine),
  ];
  if (scan.unclosedFence > 0) {
    diagnostics.push(diagnostic('RB028', 'code fence is never closed: the rest of the file reads as code', lineRange(source, scan.unclosedFence), 'Close it with a matching ``` line.'));
  }

  const named = (key: string) => (typeof fm.data[key] === 'string' ? (fm.data[key] as string) : null);
  const title = named('title') ?? named('name') ?? manifest?.title ?? outline.sections.find((s) => s.level === 1)?.text ?? null;
  return {
    analysis: {
      path: options.path,
      frontmatter: fm.data,
      parameters,
      secrets,
      variables: [...used],
      diagnostics: withQuickFixes(withoutIgnored(diagnostics, frontmatterIgnores(fm.data)), { source, parameters: declarations, frontmatter: fm, sections: outline.sections }).sort(byPosition),
      title,
      headings: outline.tree,
      settings: runSettings(fm.data),
      ...(manifest?.examples.length ? { examples: manifest.examples } : {}),
      ...(mcpServers.length > 0 ? { mcpServers } : {}),
      ...(mcpOnly.length > 0 ? { mcpOnlySecrets: mcpOnly } : {}),
    },
    source,
    refs: scan.refs,
    requiredOutputs: requiredOutputFiles(source, outline.sections),
  };
}
