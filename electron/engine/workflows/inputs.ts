import type { Budget } from './bounds';
import { interpolate, resolvePath, tryParsePath, type PathScope } from './paths';

/** Step config keys that configure the engine, not the template. */
export const ENGINE_KEYS: ReadonlySet<string> = new Set(['activity', 'retries', 'timeout']);

export const PATH_SUFFIX = '_path';

/** A path expression written in a step config, and where (keys below the step config). */
export interface PathUse {
  expression: string;
  at: (string | number)[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPathValue = (v: unknown): v is string | string[] => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** Every `*_path` expression of a step config, nested object parameters and arrays of paths included. */
export function pathUses(config: Record<string, unknown>, at: (string | number)[] = []): PathUse[] {
  const uses: PathUse[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (at.length === 0 && ENGINE_KEYS.has(key)) continue;
    if (key.endsWith(PATH_SUFFIX) && isPathValue(value)) {
      if (typeof value === 'string') uses.push({ expression: value, at: [...at, key] });
      else value.forEach((expression, i) => uses.push({ expression, at: [...at, key, i] }));
    } else if (isPlainObject(value)) uses.push(...pathUses(value, [...at, key]));
  }
  return uses;
}

/** Every string literal of a step config (where `{{ path }}` references may sit). */
export function stringLiterals(value: unknown, at: (string | number)[] = []): { text: string; at: (string | number)[] }[] {
  if (typeof value === 'string') return [{ text: value, at }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLiterals(v, [...at, i]));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    (at.length === 0 && ENGINE_KEYS.has(k)) || (k.endsWith(PATH_SUFFIX) && isPathValue(v)) ? [] : stringLiterals(v, [...at, k]),
  );
}

/** Resolves what one document value becomes, counting it in the budget as it goes. */
interface Resolver {
  scope: PathScope;
  roots: ReadonlySet<string>;
  budget: Budget;
}

function resolveValue(value: unknown, r: Resolver): unknown {
  if (typeof value === 'string') return interpolate(value, r.scope, r.roots, r.budget);
  if (Array.isArray(value)) {
    r.budget.add(value.length + 1);
    return value.map((v) => resolveValue(v, r));
  }
  if (isPlainObject(value)) return resolveObject(value, r, false);
  r.budget.measure(value);
  return value;
}

/** The value a path names, counted (a path costs nothing to resolve, but its value is journaled and sent on). */
function resolveCounted(expression: string, key: string, r: Resolver): unknown {
  const value = resolvePath(expression, r.scope);
  r.budget.measure(value, `${key}: ${expression}`);
  return value;
}

function resolveObject(config: Record<string, unknown>, r: Resolver, top: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let fromPaths: Record<string, unknown> | null = null;
  r.budget.add(2);
  for (const [key, value] of Object.entries(config)) {
    if (top && ENGINE_KEYS.has(key)) continue;
    r.budget.add(key.length + 4);
    if (key.endsWith(PATH_SUFFIX) && isPathValue(value)) {
      fromPaths ??= {};
      fromPaths[key.slice(0, -PATH_SUFFIX.length)] = typeof value === 'string' ? resolveCounted(value, key, r) : value.map((p) => resolveCounted(p, key, r));
    } else out[key] = resolveValue(value, r);
  }
  // A `<name>_path` wins over a literal `<name>`.
  return fromPaths ? Object.assign(out, fromPaths) : out;
}

/**
 * A step's inputs: its parameters with every `*_path` replaced by the value it names
 * (key without the suffix) and `{{ path }}` references in strings filled in. Throws
 * PathResolutionError when a path names nothing, StepBoundError (as soon as it is known,
 * not once the inputs are built) when they pass the budget's bound.
 */
export function resolveInputs(config: Record<string, unknown>, scope: PathScope, roots: ReadonlySet<string>, budget: Budget): Record<string, unknown> {
  return resolveObject(config, { scope, roots, budget }, true);
}

/** Whether a string is a well-formed path expression (for parameters such as simple_judge's `items`). */
export const isPathExpression = (text: string): boolean => tryParsePath(text) !== null;
