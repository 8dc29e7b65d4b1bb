import { UsageError } from './usage-error';

/** `--param name=value` options as a record of strings (a runbook's parameters). */
export function keyValues(values: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`--param expects name=value, got '${item}'`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

/** `--param name=value` options with each value read as JSON where it is JSON, else kept as text (a workflow's init_params). */
export function jsonValues(values: string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(keyValues(values)).map(([name, raw]) => {
      try {
        return [name, JSON.parse(raw)];
      } catch {
        return [name, raw];
      }
    }),
  );
}
