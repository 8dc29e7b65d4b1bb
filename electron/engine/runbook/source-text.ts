import type { Range } from '../../../shared/runbook';

/** A runbook's text with line endings normalised, split into lines (1-based access helpers). */
export interface SourceText {
  /** The text without BOM and with `\n` line endings; line numbers match the file's. */
  text: string;
  lines: string[];
}

const LINE_BREAK = /\r\n?/g;

export function toSourceText(raw: string): SourceText {
  const withoutBom = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const text = withoutBom.includes('\r') ? withoutBom.replace(LINE_BREAK, '\n') : withoutBom;
  return { text, lines: text.split('\n') };
}

/** A range on one line, 1-based, from column `column` spanning `length` code units. */
export function spanRange(line: number, column: number, length: number): Range {
  return { line, column, endLine: line, endColumn: column + Math.max(length, 1) };
}

/** The whole of a 1-based line (or the first column when the line is empty or absent). */
export function lineRange(source: SourceText, line: number): Range {
  const text = source.lines[line - 1] ?? '';
  return spanRange(line, 1, text.length);
}
