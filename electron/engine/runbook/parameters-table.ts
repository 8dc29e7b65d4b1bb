import type { Diagnostic, Heading, Parameter, ParameterType } from '../../../shared/runbook';
import { diagnostic } from './codes';
import { plainHeading } from './headings';
import { looseMatch, nameCandidates, RESULTS_DIR } from './parameter-names';
import { lineRange, type SourceText } from './source-text';

/** A parameter declared in the Parameters table. */
export interface TableParameter extends Parameter {
  line: number;
}

const PARAMETERS_HEADING = /^parameters\b/i;
const SEPARATOR = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const VARIABLE_CELL = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
const CODE_ONLY = /^`([^`]*)`$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NOTE = /^[*_]*\((.*)\)[*_]*$/;
/**
 * A required marker, alone or followed by an explanation after a dash, colon, comma or
 * parenthesis (`required — the deck source`, `required: a URL`); a condition
 * (`required if Custom`, `required — only when updating`) leaves the field optional.
 */
const REQUIRED_WORDS = /^(?:required|user[ -]supplied|must be (?:provided|set))(?:\s*[—–:;,.(-]+\s*(?!\s|(?:if|when|unless|only|except)\b).*)?$/;
const NO_DEFAULT_WORDS = /^(optional|none|n\/a|-|—|–|)$/;
/**
 * Unquoted defaults taken literally: numbers, and one bare word of letters, digits, `_` and `.`
 * (`true`, `unknown`, `markdown_and_csv`, `v1.2`); a hyphenated or several-word cell (`mode-dependent`) is prose.
 */
const PLAIN_LITERAL = /^(-?\d+(\.\d+)?|[A-Za-z0-9_.]+)$/;

/** Splits a table row on `|`, except escaped pipes and pipes inside code spans. */
export function splitRow(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  const text = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '`') inCode = !inCode;
    if (ch === '\\' && text[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

const plain = (cell: string) => cell.replace(/\*\*|__/g, '').trim();

/** Reads a Default cell: `` `value` ``, `*(required)*`, `*(optional)*`, `*(empty)*`, bare words. */
export function parseDefaultCell(cell: string): { value: string | null; required: boolean } {
  const text = cell.trim();
  const code = CODE_ONLY.exec(text);
  if (code) return { value: code[1], required: false };
  const note = NOTE.exec(text)?.[1];
  const words = (note ?? text).replace(/[*_]/g, '').trim().toLowerCase();
  if (REQUIRED_WORDS.test(words)) return { value: null, required: true };
  if (/^empty\b/.test(words) || words === '""' || words === "''") return { value: '', required: false };
  if (note !== undefined || NO_DEFAULT_WORDS.test(words) || !PLAIN_LITERAL.test(text)) return { value: null, required: false };
  return { value: text, required: false };
}

function typeOf(label: string, value: string | null, upload: boolean): ParameterType {
  if (upload) return 'file';
  if (/password|passphrase|api[ _-]?key|token|secret/i.test(label)) return 'password';
  if (value === 'true' || value === 'false') return 'boolean';
  if (value !== null && /^-?\d+(\.\d+)?$/.test(value)) return 'number';
  return 'text';
}

interface Columns {
  label: number;
  variable: number;
  default: number;
  description: number;
}

function columnsOf(header: string[]): Columns {
  const find = (pattern: RegExp) => header.findIndex((h) => pattern.test(plain(h).toLowerCase()));
  const variable = find(/template|variable|placeholder/);
  const def = header.findIndex((h, i) => i !== variable && /default|value/.test(plain(h).toLowerCase()));
  const description = find(/desc|meaning|purpose|notes?$/);
  const used = new Set([variable, def, description]);
  const label = header.findIndex((_, i) => !used.has(i));
  return { label, variable, default: def, description };
}

interface Row {
  cells: string[];
  line: number;
}

/** The first table of the Parameters section (`## Parameters`, not `## Parameter precedence`). */
export interface ParametersTable {
  header: string[];
  rows: Row[];
  /** 1-based lines of the header row and the last row. */
  firstLine: number;
  lastLine: number;
}

export function findParametersTable(source: SourceText, sections: readonly Heading[]): ParametersTable | null {
  const section = sections.find((s) => PARAMETERS_HEADING.test(plainHeading(s.text)));
  if (!section) return null;
  for (let line = section.line + 1; line < section.endLine; line++) {
    const text = source.lines[line - 1];
    if (!text.trimStart().startsWith('|') || !SEPARATOR.test(source.lines[line] ?? '')) continue;
    const rows: Row[] = [];
    for (let l = line + 2; l <= section.endLine && source.lines[l - 1]?.trimStart().startsWith('|'); l++) {
      rows.push({ cells: splitRow(source.lines[l - 1]), line: l });
    }
    return { header: splitRow(text), rows, firstLine: line, lastLine: line + 1 + rows.length };
  }
  return null;
}

/**
 * Parameters declared in the table (both shapes: with or without a Template
 * Variable column). Names come from the variable column, a code-formatted label, or are
 * inferred from the label, preferring spellings the body uses (`used`).
 */
export function parseParametersTable(
  source: SourceText,
  table: ParametersTable,
  used: ReadonlySet<string>,
): { parameters: TableParameter[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const columns = columnsOf(table.header);
  const cell = (row: Row, index: number) => (index >= 0 ? (row.cells[index] ?? '') : '');

  const drafts = table.rows
    .filter((row) => row.cells.some((c) => c !== ''))
    .map((row) => {
      const label = plain(cell(row, columns.label)).replace(/`/g, '').trim();
      const variableCell = cell(row, columns.variable);
      const codeLabel = CODE_ONLY.exec(plain(cell(row, columns.label)))?.[1];
      const explicitName = VARIABLE_CELL.exec(variableCell)?.[1];
      const labelName = codeLabel && IDENTIFIER.test(codeLabel) ? codeLabel : undefined;
      const upload = /^[*_]*\(?\s*uploaded/i.test(variableCell) || /^[*_]*\(\s*uploaded/i.test(cell(row, columns.default));
      const name = explicitName ?? labelName ?? nameCandidates(label).find((c) => used.has(c));
      return { row, label, upload, name };
    });

  const claimed = new Set(drafts.map((d) => d.name).filter((n): n is string => n !== undefined));
  for (const draft of drafts) {
    if (draft.name !== undefined) continue;
    draft.name = looseMatch(draft.label, used, claimed) ?? nameCandidates(draft.label)[0];
    if (draft.name) claimed.add(draft.name);
  }

  const parameters: TableParameter[] = [];
  const seen = new Set<string>();
  for (const { row, label, upload, name } of drafts) {
    if (!name) {
      diagnostics.push(diagnostic('RB027', `parameter row '${row.cells.join(' | ')}' has no usable name`, lineRange(source, row.line), 'Start the row with a label, or add a Template Variable column with `{{name}}`.'));
      continue;
    }
    if (seen.has(name)) {
      diagnostics.push(diagnostic('RB026', `parameter '${name}' is declared twice: only the first row is a form field`, lineRange(source, row.line), 'Merge the two rows, or give this one its own name.'));
      continue;
    }
    seen.add(name);
    const parsed = parseDefaultCell(cell(row, columns.default));
    const isResults = name === RESULTS_DIR;
    const description = plain(cell(row, columns.description));
    parameters.push({
      name,
      label: label || name,
      default: parsed.value,
      required: parsed.required && !isResults,
      type: typeOf(label, parsed.value, upload),
      ...(description ? { description } : {}),
      line: row.line,
    });
  }
  return { parameters, diagnostics };
}
