import { parseRunbook, type ParsedRunbook } from './analyze';
import type { TemplateRef } from './markdown-scan';
import { RESULTS_DIR } from './parameter-names';

/** Rendering needs values the caller did not give and the runbook does not default. */
export class MissingParametersError extends Error {
  constructor(readonly missing: string[]) {
    super(`missing required parameters: ${missing.join(', ')}`);
    this.name = 'MissingParametersError';
  }
}

export type ParameterValue = string | number | boolean | null | undefined;

export interface RenderOptions {
  /** Where results go inside the run; always wins over a `results_dir` parameter. */
  resultsDir?: string;
}

const SECRET_PREFIX = 'secrets.';

/**
 * Substitutes `{{name}}` with the given parameters (defaults applied, optional ones
 * without a default become empty) and `{{results_dir}}` with `resultsDir`. Secret
 * references stay environment references: `{{secrets.X}}` becomes `$ENV` (the declared
 * env name), so no secret value ever lands in rendered text. Throws
 * MissingParametersError listing every required parameter without a value.
 */
export function renderRunbook(
  runbook: string | ParsedRunbook,
  params: Readonly<Record<string, ParameterValue>> = {},
  { resultsDir = '/app/results' }: RenderOptions = {},
): string {
  const { analysis, source, refs } = typeof runbook === 'string' ? parseRunbook(runbook, { path: 'RUNBOOK.md' }) : runbook;
  const given = (name: string) => {
    const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
    return value === undefined || value === null ? undefined : String(value);
  };

  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const p of analysis.parameters) {
    const value = given(p.name);
    if (value !== undefined && (value !== '' || !p.required)) values.set(p.name, value);
    else if (p.default !== null) values.set(p.name, p.default);
    else if (p.required) missing.push(p.name);
    else values.set(p.name, '');
  }
  for (const [name] of Object.entries(params)) {
    const value = given(name);
    if (!values.has(name) && !name.startsWith(SECRET_PREFIX) && value !== undefined) values.set(name, value);
  }
  values.set(RESULTS_DIR, resultsDir);
  for (const name of analysis.variables) if (!values.has(name) && !missing.includes(name)) missing.push(name);
  if (missing.length > 0) throw new MissingParametersError(missing);

  const envOf = new Map(analysis.secrets.map((s) => [s.name, s.env ?? s.name]));
  const substitute = (ref: TemplateRef, match: string) => (ref.secret ? `$${envOf.get(ref.name) ?? ref.name}` : (values.get(ref.name) ?? match));
  return substituteRefs(source.lines, refs, substitute);
}

/** The lines joined again with every reference replaced (right to left, so columns stay true). */
function substituteRefs(sourceLines: readonly string[], refs: readonly TemplateRef[], substitute: (ref: TemplateRef, match: string) => string): string {
  const lines = [...sourceLines];
  for (let i = refs.length - 1; i >= 0; i--) {
    const ref = refs[i];
    const text = lines[ref.line - 1];
    const start = ref.column - 1;
    const end = start + ref.length;
    lines[ref.line - 1] = text.slice(0, start) + substitute(ref, text.slice(start, end)) + text.slice(end);
  }
  return lines.join('\n');
}
