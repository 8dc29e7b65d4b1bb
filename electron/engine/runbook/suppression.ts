import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, QuickFix } from '../../../shared/runbook';
import { parseFrontmatter } from './frontmatter';
import { toSourceText } from './source-text';

/** The frontmatter key that silences rules for one runbook: `lint_ignore: [RB017, RB030]`. */
export const LINT_IGNORE_KEY = 'lint_ignore';
/** The file that silences rules for every runbook in its folder and below: `{ "ignore": ["RB030"], "root": true }`. */
export const LINT_CONFIG_FILE = '.jettylintrc.json';

/** Folders above a runbook searched for LINT_CONFIG_FILE, at most. */
const MAX_FOLDER_DEPTH = 64;
const CODE = /^RB\d{3}$/;

const codesIn = (value: unknown): string[] =>
  (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim().toUpperCase())
    .filter((v) => CODE.test(v));

/** Codes a runbook's frontmatter silences (`lint_ignore` as a list or a comma-separated string). */
export function frontmatterIgnores(frontmatter: Record<string, unknown>): string[] {
  return codesIn(frontmatter[LINT_IGNORE_KEY]);
}

async function readConfig(file: string): Promise<Record<string, unknown> | null> {
  try {
    const config: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Codes silenced by every LINT_CONFIG_FILE from the runbook's folder up, ESLint-style: the
 * search stops at a file with `"root": true` (or the filesystem root). A file that is not
 * JSON silences nothing.
 */
export async function folderIgnores(runbookPath: string): Promise<string[]> {
  const codes: string[] = [];
  let dir = path.dirname(path.resolve(runbookPath));
  for (let depth = 0; depth < MAX_FOLDER_DEPTH; depth++) {
    const config = await readConfig(path.join(dir, LINT_CONFIG_FILE));
    if (config) {
      codes.push(...codesIn(config.ignore));
      if (config.root === true) break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return codes;
}

/** The diagnostics whose code is not silenced. */
export function withoutIgnored(diagnostics: Diagnostic[], ignored: Iterable<string>): Diagnostic[] {
  const codes = new Set(ignored);
  return codes.size === 0 ? diagnostics : diagnostics.filter((d) => !codes.has(d.code));
}

const LINT_IGNORE_LINE = new RegExp(`^${LINT_IGNORE_KEY}[ \\t]*:`);
const LIST_ITEM = /^[ \t]*-[ \t]/;

/**
 * The edit that adds `code` to the runbook's `lint_ignore` (a frontmatter written for the
 * purpose, the key added before the closing `---`, or its list rewritten as one flow list
 * with the code added); null when the rule is already ignored or the frontmatter's YAML is
 * not valid (a line-based edit could not be trusted).
 */
export function ignoreInRunbookFix(text: string, code: string): QuickFix | null {
  const title = `Ignore ${code} in this runbook (lint_ignore)`;
  const source = toSourceText(text);
  const fm = parseFrontmatter(source);
  const line = (n: number, endLine = n) => ({ line: n, column: 1, endLine, endColumn: (source.lines[endLine - 1] ?? '').length + 1 });
  if (!fm.present) return { title, edits: [{ range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, text: `---\n${LINT_IGNORE_KEY}: [${code}]\n---\n` }] };
  if (fm.closeLine === 0 || fm.diagnostics.some((d) => d.severity === 'error')) return null;
  const codes = frontmatterIgnores(fm.data);
  if (codes.includes(code)) return null;
  const at = source.lines.slice(0, fm.closeLine - 1).findIndex((l) => LINT_IGNORE_LINE.test(l));
  const value = `${LINT_IGNORE_KEY}: [${[...codes, code].join(', ')}]`;
  if (at < 0) return { title, edits: [{ range: { line: fm.closeLine, column: 1, endLine: fm.closeLine, endColumn: 1 }, text: `${value}\n` }] };
  let last = at + 1;
  while (last < fm.closeLine - 1 && LIST_ITEM.test(source.lines[last])) last++;
  return { title, edits: [{ range: line(at + 1, last), text: value }] };
}

/**
 * The text of `config` (a folder's LINT_CONFIG_FILE, or null when there is none) with `code`
 * in its `ignore` list, its other keys kept; null when it already ignores the code. Throws
 * when the file is not a JSON object (it is the user's to fix, not to overwrite).
 */
export function ignoreInFolderConfig(config: string | null, code: string): string | null {
  let value: unknown = {};
  if (config !== null) {
    try {
      value = JSON.parse(config);
    } catch (error) {
      throw new Error(`${LINT_CONFIG_FILE} is not valid JSON (${(error as Error).message}): fix it, then ignore the rule again`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${LINT_CONFIG_FILE} is not a JSON object: fix it, then ignore the rule again`);
  const object = value as Record<string, unknown>;
  const codes = codesIn(object.ignore);
  if (codes.includes(code)) return null;
  return `${JSON.stringify({ ...object, ignore: [...codes, code] }, null, 2)}\n`;
}
