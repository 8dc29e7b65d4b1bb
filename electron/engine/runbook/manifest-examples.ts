import type { ExampleInput } from '../../../shared/runbook';

/** Keys of an example's `input` that describe it rather than feed the run. */
const ABOUT_KEYS = new Set(['values', 'license', 'label', 'filename', 'pages', 'kind', 'repo', 'dir']);
/** A relative path inside the runbook folder, as examples name their files (`examples/<id>/input.pdf`). */
const EXAMPLE_FILE = /^examples\/[^\0]+$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * manifest.json's `example_outputs[].input` as run-panel choices: files are the string
 * values under `examples/` (never `..`), values are `input.values` plus the other plain
 * entries. Entries without an id or anything to fill in are skipped.
 */
export function exampleInputs(exampleOutputs: readonly unknown[]): ExampleInput[] {
  const result: ExampleInput[] = [];
  for (const raw of exampleOutputs) {
    if (!isRecord(raw) || typeof raw.id !== 'string' || !isRecord(raw.input)) continue;
    const values: Record<string, string> = {};
    const files: ExampleInput['files'] = [];
    for (const [key, value] of Object.entries(raw.input)) {
      if (typeof value === 'string' && EXAMPLE_FILE.test(value)) {
        if (!value.split('/').includes('..')) files.push({ key, path: value });
      } else if (!ABOUT_KEYS.has(key) && scalar(value)) values[key] = String(value);
    }
    if (isRecord(raw.input.values)) for (const [key, value] of Object.entries(raw.input.values)) if (scalar(value)) values[key] = String(value);
    if (files.length === 0 && Object.keys(values).length === 0) continue;
    result.push({ id: raw.id, title: typeof raw.title === 'string' ? raw.title : raw.id, values, files });
  }
  return result;
}
