import type { Parameter } from '../../../../shared/runbook';
import type { ParamValues } from '../run/ParameterForm';

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** One form field per init param: its default value, typed by it (numbers, booleans, text; objects and arrays as JSON). */
export function initParamFields(initParams: Record<string, unknown>): Parameter[] {
  return Object.entries(initParams).map(([name, value]) => ({
    name,
    label: name,
    default: value === null || value === undefined ? '' : asText(value),
    required: false,
    type: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text',
    ...(typeof value === 'object' && value !== null ? { description: 'JSON' } : {}),
  }));
}

/** A field whose text is not the JSON its parameter needs. */
export class InitParamError extends Error {}

/**
 * The form's values as init params of the type each default has: numbers as numbers,
 * booleans as booleans, objects and arrays parsed as JSON; text as it is.
 */
export function initParamValues(initParams: Record<string, unknown>, values: ParamValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, original] of Object.entries(initParams)) {
    const text = values[name] ?? asText(original);
    if (typeof original === 'number') {
      if (text.trim() === '' || !Number.isFinite(Number(text))) throw new InitParamError(`${name}: a number, please`);
      out[name] = Number(text);
    } else if (typeof original === 'boolean') out[name] = text === 'true';
    else if (typeof original === 'object' && original !== null) {
      try {
        out[name] = JSON.parse(text);
      } catch {
        throw new InitParamError(`${name}: not valid JSON`);
      }
    } else out[name] = text;
  }
  return out;
}
