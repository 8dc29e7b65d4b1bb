import type { z } from 'zod';
import { StoreError } from './errors';

/** Parses `value` with `schema`, or throws an invalid_input StoreError naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
  throw new StoreError('invalid_input', `Invalid ${what}: ${problems.join('; ')}${more}.`);
}

/** `['events', 3, 'level']` → `events[3].level`; the empty path is the document itself. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
