import matter from 'gray-matter';
import type { Diagnostic } from '../../../shared/runbook';
import { diagnostic } from './codes';
import { lineRange, spanRange, type SourceText } from './source-text';
import { yamlAdvice } from './yaml-advice';

/** The YAML frontmatter of a runbook, located in file coordinates. */
export interface Frontmatter {
  present: boolean;
  /** Plain JSON data (dates as ISO strings); empty when absent or invalid. */
  data: Record<string, unknown>;
  /** 1-based line of the closing `---` (0 when there is no frontmatter). */
  closeLine: number;
  /** 1-based first line of the markdown body. */
  bodyStartLine: number;
  diagnostics: Diagnostic[];
}

const MAX_VALUES = 10_000;
const LANGUAGE = /^---[ \t]*(\S*)/;

/**
 * Never let gray-matter pick an engine from the text: `---js` would otherwise `eval`
 * the frontmatter. Only YAML reaches the parser.
 */
const refuse = () => {
  throw new Error('only YAML frontmatter is supported');
};
const MATTER_OPTIONS = { language: 'yaml', engines: { javascript: refuse, json: refuse, coffee: refuse } };

interface YamlMark {
  line: number;
  column: number;
}

function yamlError(err: unknown): { reason: string; mark?: YamlMark } {
  const e = err as { reason?: unknown; mark?: YamlMark; message?: unknown };
  const reason = typeof e.reason === 'string' ? e.reason : err instanceof Error ? err.message : String(err);
  return typeof e.mark?.line === 'number' ? { reason, mark: e.mark } : { reason };
}

/** Copies YAML output into plain JSON values, with a budget against alias bombs. */
function toPlain(value: unknown, budget: { left: number }): unknown {
  if (--budget.left < 0) throw new RangeError(`frontmatter expands to more than ${MAX_VALUES} values`);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toPlain(v, budget));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v, budget);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'function' || typeof value === 'symbol' || value === undefined) return null;
  return value;
}

/** Finds and parses the frontmatter; never throws. */
export function parseFrontmatter(source: SourceText): Frontmatter {
  const none = (diagnostics: Diagnostic[] = []): Frontmatter => ({
    present: false,
    data: {},
    closeLine: 0,
    bodyStartLine: 1,
    diagnostics,
  });
  const first = source.lines[0] ?? '';
  if (!first.startsWith('---') || first.startsWith('----')) return none();

  const language = LANGUAGE.exec(first)?.[1] ?? '';
  if (language !== '' && language !== 'yaml' && language !== 'yml') {
    return none([
      diagnostic('RB025', `frontmatter language '${language}' is not supported`, lineRange(source, 1), 'Use YAML frontmatter: start the file with a bare `---` line.'),
    ]);
  }

  const closeLine = findCloseLine(source);
  if (closeLine === 0) {
    return {
      ...none([
        diagnostic('RB002', 'frontmatter starts with `---` but is never closed', lineRange(source, 1), 'Add a `---` line after the last frontmatter key.'),
      ]),
      present: true,
      bodyStartLine: 2,
    };
  }

  let file: matter.GrayMatterFile<string>;
  try {
    file = matter(source.text, MATTER_OPTIONS);
  } catch (err) {
    const { reason, mark } = yamlError(err);
    const range = spanRange(mark ? mark.line + 1 : 1, (mark?.column ?? 0) + 1, 1);
    return {
      present: true,
      data: {},
      closeLine,
      bodyStartLine: closeLine + 1,
      diagnostics: [
        diagnostic('RB001', `invalid YAML in frontmatter: ${reason} (line ${range.line}, column ${range.column})`, range, yamlAdvice(reason)),
      ],
    };
  }

  const result: Frontmatter = { present: true, data: {}, closeLine, bodyStartLine: closeLine + 1, diagnostics: [] };
  const data: unknown = file.data;
  if (data === null || data === undefined || (typeof data === 'object' && !Array.isArray(data))) {
    try {
      result.data = (toPlain(data ?? {}, { left: MAX_VALUES }) ?? {}) as Record<string, unknown>;
    } catch (err) {
      result.diagnostics.push(diagnostic('RB001', `invalid frontmatter: ${(err as Error).message}`, lineRange(source, 1)));
    }
  } else {
    result.diagnostics.push(
      diagnostic('RB003', `frontmatter is a YAML ${Array.isArray(data) ? 'list' : typeof data}, not a mapping of keys`, lineRange(source, 2), 'Write `key: value` lines, e.g. `version: "1.0.0"`.'),
    );
  }
  return result;
}

/** 1-based line of the closing `---` of a frontmatter opened on line 1, or 0. */
function findCloseLine(source: SourceText): number {
  for (let i = 1; i < source.lines.length; i++) if (source.lines[i].startsWith('---')) return i + 1;
  return 0;
}

/** The 1-based line of a (nested) frontmatter key, or the opening line when not found. */
export function keyLine(source: SourceText, frontmatter: Frontmatter, path: readonly (string | number)[]): number {
  let line = 1;
  let from = 1;
  const to = Math.max(frontmatter.closeLine - 1, 1);
  let indent = -1;
  for (const key of path) {
    if (typeof key !== 'string') break;
    const found = findKey(source, key, from, to, indent);
    if (!found) break;
    line = found.line;
    indent = found.indent;
    from = found.line + 1;
  }
  return line;
}

function findKey(source: SourceText, key: string, from: number, to: number, parentIndent: number) {
  for (let i = from; i <= to && i < source.lines.length; i++) {
    const text = source.lines[i - 1];
    const indent = text.length - text.trimStart().length;
    const trimmed = text.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (parentIndent < 0) {
      if (indent > 0) continue;
    } else if (indent <= parentIndent) {
      return null;
    }
    const name = /^(["']?)([^"':]+)\1\s*:/.exec(trimmed)?.[2];
    if (name === key) return { line: i, indent };
  }
  return null;
}

/**
 * The lines of a top-level key's block: its own line to the line before the next top-level
 * key (or the frontmatter's end). Null when the key is not there.
 */
export function keyBlock(source: SourceText, frontmatter: Frontmatter, key: string): { first: number; last: number } | null {
  if (!frontmatter.present || frontmatter.closeLine === 0) return null;
  const found = findKey(source, key, 2, frontmatter.closeLine - 1, -1);
  if (!found) return null;
  let last = frontmatter.closeLine - 1;
  for (let i = found.line + 1; i < frontmatter.closeLine; i++) {
    const text = source.lines[i - 1];
    if (text.trim() !== '' && !/^\s/.test(text) && !text.startsWith('#')) {
      last = i - 1;
      break;
    }
  }
  return { first: found.line, last };
}

/** A runbook's budget (`max_cost_usd`, `max_tokens` in its frontmatter), each null unless a positive number. */
export function runbookBudget(data: Record<string, unknown>): { maxCostUsd: number | null; maxTokens: number | null } {
  const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
  return { maxCostUsd: positive(data.max_cost_usd), maxTokens: positive(data.max_tokens) };
}
