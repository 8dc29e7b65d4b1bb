import type { Diagnostic, Parameter, Secret } from '../../../shared/runbook';
import { diagnostic } from './codes';
import type { TemplateRef } from './markdown-scan';
import { RESULTS_DIR } from './parameter-names';
import type { TableParameter } from './parameters-table';
import { lineRange, spanRange, type SourceText } from './source-text';

/** Template variables and secret references against what the runbook declares. */
export function checkVariables(
  source: SourceText,
  refs: readonly TemplateRef[],
  parameters: readonly Parameter[],
  table: readonly TableParameter[],
  secrets: readonly Secret[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = new Set(parameters.map((p) => p.name));
  const secretNames = new Set(secrets.flatMap((s) => (s.env ? [s.name, s.env] : [s.name])));
  const used = new Set<string>();

  for (const ref of refs) {
    const range = spanRange(ref.line, ref.column, ref.length);
    if (ref.secret) {
      if (!secretNames.has(ref.name)) {
        out.push(
          diagnostic('RB012', `secret '${ref.name}' is used but not declared`, range, `Declare it under \`secrets:\` in the frontmatter: \`${ref.name}: { env: ${ref.name}, required: true }\`.`),
        );
      }
      continue;
    }
    used.add(ref.name);
    if (ref.name !== RESULTS_DIR && !declared.has(ref.name)) {
      out.push(
        diagnostic('RB010', `variable '${ref.name}' is used but not declared in the Parameters table`, range, `Add a row: | ${ref.name} | \`{{${ref.name}}}\` | *(required)* | … |, or give it a default.`),
      );
    }
  }

  const uploads = new Set(parameters.filter((p) => p.type === 'file').map((p) => p.name));
  for (const p of table) {
    // Uploaded files land in /app/assets; they are never substituted.
    if (p.name === RESULTS_DIR || used.has(p.name) || uploads.has(p.name)) continue;
    // The row stays a form field and its value reaches the agent in the run's parameter list: the advice never removes it.
    out.push(
      diagnostic('RB011', `parameter '${p.name}' is never referenced as {{${p.name}}}: the agent sees its value only in the run's parameter list`, lineRange(source, p.line), `Write {{${p.name}}} where the runbook needs the value; the form field stays either way.`),
    );
  }
  return out;
}
