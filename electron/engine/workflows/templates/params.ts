import { PermanentStepError } from './types';

type Inputs = Record<string, unknown>;

/** A string input; numbers and booleans are taken as text, anything else is refused. */
export function text(inputs: Inputs, name: string, fallback?: string): string {
  const value = inputs[name] ?? fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) throw new PermanentStepError(`parameter '${name}' is required`);
  throw new PermanentStepError(`parameter '${name}' must be text, got ${JSON.stringify(value).slice(0, 100)}`);
}

export function optionalText(inputs: Inputs, name: string): string | undefined {
  return inputs[name] === undefined || inputs[name] === null ? undefined : text(inputs, name);
}

/** The first of several names that is given, as text. */
export function firstText(inputs: Inputs, names: string[]): string {
  const name = names.find((n) => inputs[n] !== undefined && inputs[n] !== null);
  if (!name) throw new PermanentStepError(`parameter '${names[0]}' is required`);
  return text(inputs, name);
}

export function num(inputs: Inputs, name: string, fallback: number, { min = -Infinity, integer = false } = {}): number {
  const raw = inputs[name] ?? fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new PermanentStepError(`parameter '${name}' must be ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` ≥ ${min}` : ''}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function bool(inputs: Inputs, name: string, fallback: boolean): boolean {
  const value = inputs[name] ?? fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new PermanentStepError(`parameter '${name}' must be true or false, got ${JSON.stringify(value)}`);
}

export function list(inputs: Inputs, name: string): unknown[] {
  const value = inputs[name];
  if (Array.isArray(value)) return value;
  throw new PermanentStepError(`parameter '${name}' must be an array, got ${value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 100)}`);
}

export function object(inputs: Inputs, name: string): Record<string, unknown> {
  const value = inputs[name] ?? {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new PermanentStepError(`parameter '${name}' must be an object, got ${JSON.stringify(value).slice(0, 100)}`);
}

/** Any value as text: strings as they are, the rest as JSON. */
export const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
