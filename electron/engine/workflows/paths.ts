/**
 * Path expressions, as workflow documents use them: `init_params.x`, `step.outputs.a.b[0]`,
 * `step.outputs.items[*].id` (every match, as an array), `step.inputs.x`; and
 * `{{ step.outputs.x }}` references inside strings. One parser and one evaluator, used by
 * the engine and the linter.
 */

import type { Budget } from './bounds';

export type Segment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

export interface PathExpression {
  /** The text as written (trimmed). */
  text: string;
  /** `init_params` or a step name. */
  root: string;
  /** For a step: `outputs` or `inputs`; null for `init_params`. */
  section: 'outputs' | 'inputs' | null;
  segments: readonly Segment[];
}

export class PathSyntaxError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`invalid path expression '${expression}': ${reason}`);
    this.name = 'PathSyntaxError';
  }
}

export const INIT_PARAMS = 'init_params';
const NAME = /^[A-Za-z0-9_-]+$/;
const TOKEN = /\.([^.[\]]+)|\[(\*|\d+)\]/y;

/** Parsed expressions by their text: a document names the same few paths at every step and every resume. */
const parsed = new Map<string, Parsed>();
const PARSED_KEPT = 10_000;
/** Longer texts are parsed each time: the cache must not hold a document's large strings. */
const KEPT_TEXT_CHARS = 256;

/** A parsed expression, or why the text is not one (a PathSyntaxError's text and reason). */
type Parsed = Readonly<PathExpression> | { text: string; reason: string };

/** Parses (and keeps) an expression without throwing: text that is no path costs no exception (a document may hold millions of `{{ … }}`). */
function parseKept(input: string): Parsed {
  if (input.length > KEPT_TEXT_CHARS) return parseUncached(input);
  let expression = parsed.get(input);
  if (!expression) {
    expression = parseUncached(input);
    if (parsed.size >= PARSED_KEPT) parsed.clear();
    parsed.set(input, expression);
  }
  return expression;
}

/** Parses a path expression (the result is shared: never change it); throws PathSyntaxError naming what is wrong. */
export function parsePath(input: string): Readonly<PathExpression> {
  const result = parseKept(input);
  if ('reason' in result) throw new PathSyntaxError(result.text, result.reason);
  return result;
}

/** Parses without throwing (a linter checks thousands): the expression, or the message a PathSyntaxError would carry. */
export function checkPath(input: string): { path: Readonly<PathExpression> } | { error: string } {
  const result = parseKept(input);
  return 'reason' in result ? { error: `invalid path expression '${result.text}': ${result.reason}` } : { path: result };
}

function parseUncached(input: string): Parsed {
  const text = input.trim();
  const head = /^[^.[\]]+/.exec(text);
  if (!head) return { text, reason: 'it must start with init_params or a step name' };
  const root = head[0];
  if (!NAME.test(root)) return { text, reason: `'${root}' is not a step name` };
  const segments: Segment[] = [];
  TOKEN.lastIndex = root.length;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) return { text, reason: `unexpected '${text.slice(at)}'` };
    if (match[1] !== undefined) segments.push({ kind: 'key', key: match[1] });
    else if (match[2] === '*') segments.push({ kind: 'all' });
    else segments.push({ kind: 'index', index: Number(match[2]) });
  }
  if (root === INIT_PARAMS) return { text, root, section: null, segments };
  const first = segments.shift();
  if (!first || first.kind !== 'key' || (first.key !== 'outputs' && first.key !== 'inputs')) {
    return { text, reason: `after a step name comes .outputs or .inputs (e.g. ${root}.outputs.text)` };
  }
  return { text, root, section: first.key, segments };
}

/** Parses, or returns null when the text is not a path expression. */
export function tryParsePath(text: string): Readonly<PathExpression> | null {
  const result = parseKept(text);
  return 'reason' in result ? null : result;
}

export type Resolution = { found: true; value: unknown } | { found: false; at: string; there: unknown };

/** What a path may read: the run's parameters and each finished step's inputs and outputs. */
export interface PathScope {
  init_params: Record<string, unknown>;
  steps: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> } | undefined>;
}

const describeSegment = (s: Segment) => (s.kind === 'key' ? `.${s.key}` : s.kind === 'all' ? '[*]' : `[${s.index}]`);

function walk(value: unknown, segments: readonly Segment[], prefix: string): Resolution {
  let current = value;
  let at = prefix;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.kind === 'all') {
      if (!Array.isArray(current)) return { found: false, at: `${at}[*]`, there: current };
      const rest = segments.slice(i + 1);
      const out: unknown[] = [];
      for (let n = 0; n < current.length; n++) {
        const r = walk(current[n], rest, `${at}[${n}]`);
        if (!r.found) return r;
        if (rest.some((x) => x.kind === 'all') && Array.isArray(r.value)) out.push(...r.value);
        else out.push(r.value);
      }
      return { found: true, value: out };
    }
    const next =
      s.kind === 'index'
        ? Array.isArray(current) ? current[s.index] : undefined
        : typeof current === 'object' && current !== null && !Array.isArray(current) && Object.hasOwn(current, s.key)
          ? (current as Record<string, unknown>)[s.key]
          : undefined;
    if (next === undefined) return { found: false, at: `${at}${describeSegment(s)}`, there: current };
    current = next;
    at += describeSegment(s);
  }
  return { found: true, value: current };
}

/** Evaluates a parsed path in a scope. `[*]` gives an array of every match (nested ones flattened). */
export function evaluatePath(path: PathExpression, scope: PathScope): Resolution {
  if (path.section === null) return walk(scope.init_params, path.segments, INIT_PARAMS);
  const step = scope.steps[path.root];
  if (!step) return { found: false, at: path.root, there: undefined };
  return walk(step[path.section], path.segments, `${path.root}.${path.section}`);
}

/** A path that resolved to nothing: the message names the expression and what was there. */
export class PathResolutionError extends Error {
  constructor(
    readonly expression: string,
    readonly resolution: Extract<Resolution, { found: false }>,
  ) {
    super(`path '${expression}' resolves to nothing: ${resolution.at} is missing (there: ${preview(resolution.there)})`);
    this.name = 'PathResolutionError';
  }
}

function preview(value: unknown): string {
  if (value === undefined) return 'nothing — the step has not run or was skipped';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The value of a path expression (text), or PathResolutionError. */
export function resolvePath(text: string, scope: PathScope): unknown {
  const parsed = parsePath(text);
  const r = evaluatePath(parsed, scope);
  if (!r.found) throw new PathResolutionError(parsed.text, r);
  return r.value;
}

const BRACE = /[{}]/g;

/**
 * Calls `visit` with each `{{ inner }}` of a text (inner non-empty and without braces; the
 * first `}}` closes it), its start and its end, in order. One pass, linear in the text: the
 * regular expression this replaces (`\{\{\s*([^{}]+?)\s*\}\}`) took cubic time on `{{`
 * followed by spaces (4,000 of them held the event loop for 10 s).
 */
export function forEachReference(text: string, visit: (inner: string, start: number, end: number) => void): void {
  for (let from = 0; ; ) {
    const open = text.indexOf('{{', from);
    if (open < 0) return;
    BRACE.lastIndex = open + 2;
    const brace = BRACE.exec(text);
    if (!brace) return;
    const close = brace.index;
    if (close > open + 2 && text[close] === '}' && text[close + 1] === '}') {
      visit(text.slice(open + 2, close), open, close + 2);
      from = close + 2;
    } else from = open + 1;
  }
}

const ROOT = /^\s*([^.[\]\s]+)/;

/** The path a `{{ inner }}` names when its root is init_params or one of `roots`, else null (left for the template). */
function reference(inner: string, roots: ReadonlySet<string>): Readonly<PathExpression> | null {
  // Any other root is left alone without parsing the rest (a document may hold 200,000 such).
  const root = ROOT.exec(inner)?.[1];
  if (root === undefined || (root !== INIT_PARAMS && !roots.has(root))) return null;
  const parsed = tryParsePath(inner);
  return parsed && (parsed.root === INIT_PARAMS || roots.has(parsed.root)) ? parsed : null;
}

/** The `{{ path }}` references in a string whose root is `init_params` or one of `roots`. */
export function templateReferences(text: string, roots: ReadonlySet<string>): PathExpression[] {
  const found: PathExpression[] = [];
  forEachReference(text, (inner) => {
    const parsed = reference(inner, roots);
    if (parsed) found.push(parsed);
  });
  return found;
}

/**
 * Replaces `{{ path }}` references to init_params or a known step with their values
 * (strings as they are, anything else as JSON); other `{{ … }}` are left for the template.
 * Every piece is counted in `budget` as it is added, so a text that would expand past the
 * step's bound stops at the piece that passes it (StepBoundError), before it is built.
 */
export function interpolate(text: string, scope: PathScope, roots: ReadonlySet<string>, budget: Budget): string {
  const parts: string[] = [];
  let last = 0;
  budget.add(2);
  forEachReference(text, (inner, start, end) => {
    const parsed = reference(inner, roots);
    if (!parsed) return;
    const r = evaluatePath(parsed, scope);
    if (!r.found) throw new PathResolutionError(parsed.text, r);
    const at = `{{ ${parsed.text} }}`;
    budget.expansion(at);
    budget.add(start - last, at);
    let value: string;
    if (typeof r.value === 'string') {
      budget.add(r.value.length, at);
      value = r.value;
    } else {
      budget.measure(r.value, at);
      value = JSON.stringify(r.value);
    }
    parts.push(text.slice(last, start), value);
    last = end;
  });
  budget.add(text.length - last);
  if (parts.length === 0) return text;
  parts.push(text.slice(last));
  return parts.join('');
}
