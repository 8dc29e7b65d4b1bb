import type { Diagnostic, Heading, QuickFix } from '../../../shared/runbook';
import type { Frontmatter } from './frontmatter';
import { outputsSection } from './output-manifest';
import { splitRow, type ParametersTable } from './parameters-table';
import { spanRange, type SourceText } from './source-text';

/** Where the fixes write: the Parameters table, the frontmatter, the output manifest. */
export interface FixContext {
  source: SourceText;
  parameters: ParametersTable | null;
  frontmatter: Frontmatter;
  sections: readonly Heading[];
}

const NAME_IN_QUOTES = /'([A-Za-z_][A-Za-z0-9_]*)'/;

/** An insertion of whole lines before 1-based line `line`. */
const insertLines = (line: number, lines: string[]) => ({ range: { line, column: 1, endLine: line, endColumn: 1 }, text: `${lines.join('\n')}\n` });

/** A table row with `cells` first and empty cells up to the header's width. */
const row = (width: number, cells: string[]) => `| ${[...cells, ...Array<string>(Math.max(0, width - cells.length)).fill('')].join(' | ')} |`;

/** RB010: a Parameters row for the undeclared variable (required, no default). */
function declareParameter(d: Diagnostic, ctx: FixContext): QuickFix | null {
  const name = NAME_IN_QUOTES.exec(d.message)?.[1];
  const table = ctx.parameters;
  if (!name || !table) return null;
  const header = table.header.map((h) => h.replace(/[*_`]/g, '').toLowerCase());
  const cells = header.map((h, i) => (/template|variable|placeholder/.test(h) ? `\`{{${name}}}\`` : /default|value/.test(h) ? '*(required)*' : i === 0 ? name : ''));
  return { title: `Add a Parameters row for '${name}'`, edits: [insertLines(table.lastLine + 1, [row(header.length, cells)])] };
}

const SECRETS_KEY = /^secrets[ \t]*:(.*)$/;
/** What may follow `secrets:` for the fix to edit by lines: nothing (a block mapping below), `{}`, `null` or `~`, and a comment. */
const EDITABLE_VALUE = /^[ \t]*(\{[ \t]*\}|null|~)?[ \t]*(#.*)?$/;

/**
 * RB012: the secret declared in the frontmatter, with its env and required: under an
 * existing `secrets:` (at its entries' indentation, its comment kept), else as a new key.
 * A `secrets:` written another way (a flow mapping with entries) gets no fix: a second
 * `secrets:` key would make the YAML invalid.
 */
function declareSecret(d: Diagnostic, ctx: FixContext): QuickFix | null {
  const name = NAME_IN_QUOTES.exec(d.message)?.[1];
  const fm = ctx.frontmatter;
  if (!name || !fm.present || fm.closeLine === 0) return null;
  const title = `Declare the secret '${name}' in the frontmatter`;
  const yaml = ctx.source.lines.slice(0, fm.closeLine - 1);
  const entry = (indent: string) => [`${indent}${name}:`, `${indent}${indent}env: ${name}`, `${indent}${indent}required: true`];
  const at = yaml.findIndex((l) => SECRETS_KEY.test(l));
  if (at < 0) return { title, edits: [insertLines(fm.closeLine, ['secrets:', ...entry('  ')])] };

  const value = EDITABLE_VALUE.exec(SECRETS_KEY.exec(yaml[at])![1]);
  if (!value) return null;
  const next = yaml.slice(at + 1).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const indent = /^[ \t]+/.exec(next ?? '')?.[0] ?? '  ';
  if (value[1] === undefined) return { title, edits: [insertLines(at + 2, entry(indent))] };
  // `secrets: {}` (or null): the line becomes `secrets:` with the entry under it.
  const comment = value[2] ? ` ${value[2]}` : '';
  return { title, edits: [{ range: spanRange(at + 1, 1, yaml[at].length), text: [`secrets:${comment}`, ...entry('  ')].join('\n') }] };
}

/** RB015: the missing mandatory files as rows of the output manifest's table. */
function listOutputs(d: Diagnostic, ctx: FixContext): QuickFix | null {
  const section = outputsSection(ctx.sections);
  if (!section) return null;
  const lines = ctx.source.lines;
  let last = 0;
  let width = 2;
  for (let l = section.line + 1; l <= section.endLine; l++) {
    if (lines[l - 1]?.trimStart().startsWith('|')) {
      if (last === 0) width = splitRow(lines[l - 1]).length;
      last = l;
    } else if (last > 0) break;
  }
  if (last === 0) return null;
  const files = ['validation_report.json', 'summary.md'].filter((f) => d.message.includes(f));
  const describe: Record<string, string> = { 'validation_report.json': 'Checks with `overall_passed`', 'summary.md': 'Executive summary' };
  const rows = files.map((f) => row(width, [`\`{{results_dir}}/${f}\``, describe[f]]));
  return { title: `Add ${files.join(' and ')} to the output manifest`, edits: [insertLines(last + 1, rows)] };
}

const FIXERS: Record<string, (d: Diagnostic, ctx: FixContext) => QuickFix | null> = { RB010: declareParameter, RB012: declareSecret, RB015: listOutputs };

/** The diagnostics, each with its quick fix where the fix is mechanical. */
export function withQuickFixes(diagnostics: Diagnostic[], ctx: FixContext): Diagnostic[] {
  return diagnostics.map((d) => {
    const fix = FIXERS[d.code]?.(d, ctx);
    return fix ? { ...d, fix } : d;
  });
}
