import type { ExampleInput, Parameter } from '../../../../shared/runbook';
import type { UploadInfo } from '../../../../shared/uploads';
import { fileChoices, fileValue, uploadChoice } from './file-choices';
import type { ParamValues } from './ParameterForm';

const norm = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_');

/** The parameter an example's key means: same name, else same label, else a name or label that contains it. */
function parameterFor(parameters: Parameter[], key: string): Parameter | undefined {
  const k = norm(key);
  return (
    parameters.find((p) => p.name === key || norm(p.label) === k) ?? parameters.find((p) => norm(p.name).includes(k) || norm(p.label).includes(k))
  );
}

/**
 * The form's values with an example filled in: its values by parameter, and its files (already
 * uploaded, in the example's order) in the file parameter each one's key names, else the first one.
 */
export function applyExample(parameters: Parameter[], values: ParamValues, example: ExampleInput, uploads: UploadInfo[]): ParamValues {
  const next = { ...values };
  for (const [key, value] of Object.entries(example.values)) {
    const p = parameterFor(parameters, key);
    if (p && p.type !== 'file') next[p.name] = value;
  }
  const fileParams = parameters.filter((p) => p.type === 'file');
  const filled = new Set<string>();
  example.files.forEach((f, i) => {
    const upload = uploads[i];
    const p = parameterFor(fileParams, f.key) ?? fileParams[0];
    if (!upload || !p) return;
    const before = filled.has(p.name) ? fileChoices(next[p.name] ?? '') : [];
    filled.add(p.name);
    next[p.name] = fileValue([...before, uploadChoice(upload)]);
  });
  return next;
}
