import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../../shared/runbook';

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
