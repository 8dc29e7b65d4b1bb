import { z } from 'zod';
import type { Diagnostic, ExampleInput, Parameter, ParameterType, Range, Secret } from '../../../shared/runbook';
import { diagnostic } from './codes';
import { exampleInputs } from './manifest-examples';
import { nameCandidates, RESULTS_DIR } from './parameter-names';
import type { TableParameter } from './parameters-table';

/** A runbook folder's `manifest.json`, as far as the engine uses it (extra keys ignored). */
const InputSchema = z.looseObject({
  label: z.string().min(1),
  name: z.string().optional(),
  type: z.string().optional(),
  required: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  options: z.array(z.union([z.string(), z.number()])).optional(),
  accept: z.string().optional(),
  multiple: z.boolean().optional(),
  description: z.string().optional(),
});
type ManifestInput = z.infer<typeof InputSchema>;

const SecretEntrySchema = z.looseObject({
  env: z.string(),
  required: z.boolean().optional(),
  description: z.string().optional(),
});

const ManifestSchema = z.looseObject({
  title: z.string().optional(),
  inputs: z.array(z.unknown()).optional(),
  secrets: z.array(z.unknown()).optional(),
  example_outputs: z.array(z.unknown()).optional(),
});

const TYPES: Record<string, { type: ParameterType; multiple?: boolean }> = {
  text: { type: 'text' },
  textarea: { type: 'text' },
  string: { type: 'text' },
  url: { type: 'text' },
  email: { type: 'text' },
  number: { type: 'number' },
  integer: { type: 'number' },
  select: { type: 'select' },
  file: { type: 'file' },
  files: { type: 'file', multiple: true },
  password: { type: 'password' },
  boolean: { type: 'boolean' },
  checkbox: { type: 'boolean' },
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Manifest {
  title: string | null;
  inputs: ManifestInput[];
  secrets: Secret[];
  examples: ExampleInput[];
  diagnostics: Diagnostic[];
}

/** Parses `manifest.json` text; problems become warnings (the Parameters table still works). */
export function parseManifest(text: string, at: Range): Manifest {
  const result: Manifest = { title: null, inputs: [], secrets: [], examples: [], diagnostics: [] };
  const warn = (message: string, hint?: string) => result.diagnostics.push(diagnostic('RB024', `manifest.json: ${message}`, at, hint));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    warn(`not valid JSON (${(err as Error).message})`, 'Fix manifest.json; until then the Parameters table alone defines the form.');
    return result;
  }
  const manifest = ManifestSchema.safeParse(json);
  if (!manifest.success) {
    warn(`expected an object with optional 'title', 'inputs' and 'secrets' arrays (${manifest.error.issues[0]?.message})`);
    return result;
  }
  result.title = manifest.data.title ?? null;
  result.examples = exampleInputs(manifest.data.example_outputs ?? []);
  manifest.data.inputs?.forEach((raw, i) => {
    const input = InputSchema.safeParse(raw);
    if (!input.success) return warn(`inputs[${i}] ignored: ${input.error.issues.map((s) => `${s.path.join('.') || 'input'}: ${s.message}`).join('; ')}`);
    if (input.data.type !== undefined && !(input.data.type in TYPES)) {
      warn(`inputs[${i}] '${input.data.label}' has unknown type '${input.data.type}'; treated as text`, `Known types: ${Object.keys(TYPES).join(', ')}.`);
    }
    result.inputs.push(input.data);
  });
  manifest.data.secrets?.forEach((raw) => {
    const secret = SecretEntrySchema.safeParse(raw);
    if (!secret.success || !ENV_NAME.test(secret.data.env)) return;
    result.secrets.push({
      name: secret.data.env,
      env: secret.data.env,
      required: secret.data.required ?? true,
      description: secret.data.description ?? null,
    });
  });
  return result;
}

const sameLabel = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function fromInput(input: ManifestInput, base: Parameter): Parameter {
  const kind = TYPES[input.type ?? ''] ?? { type: base.type };
  const merged: Parameter = {
    ...base,
    type: kind.type,
    default: input.default === undefined || input.default === null ? base.default : String(input.default),
    required: base.name === RESULTS_DIR ? false : (input.required ?? base.required),
  };
  const description = input.description ?? base.description;
  if (description !== undefined) merged.description = description;
  if (input.options) merged.options = input.options.map(String);
  if (input.accept !== undefined) merged.accept = input.accept;
  if (input.multiple !== undefined || kind.multiple) merged.multiple = input.multiple ?? kind.multiple;
  return merged;
}

/**
 * Table parameters enriched by the manifest's typed inputs (matched by label or name);
 * inputs the table lacks are appended.
 */
export function mergeManifestInputs(
  table: readonly TableParameter[],
  inputs: readonly ManifestInput[],
  used: ReadonlySet<string>,
): Parameter[] {
  const params: Parameter[] = table.map(({ line: _line, ...p }) => p);
  for (const input of inputs) {
    const candidates = input.name ? [input.name] : nameCandidates(input.label);
    const index = params.findIndex((p) => sameLabel(p.label, input.label) || candidates.includes(p.name));
    if (index >= 0) {
      params[index] = fromInput(input, params[index]);
      continue;
    }
    const name = candidates.find((c) => used.has(c)) ?? candidates[0];
    if (!name) continue;
    params.push(fromInput(input, { name, label: input.label, default: null, required: false, type: 'text' }));
  }
  return params;
}
