import type { Heading } from '../../../shared/runbook';
import { plainHeading } from './headings';
import type { SourceText } from './source-text';

/** The heading of the output manifest: REQUIRED OUTPUT FILES, Outputs, Deliverables. */
export const OUTPUTS_HEADING = /required output|output files|^outputs?\b|deliverables/i;

/** `{{results_dir}}/path` (inner spaces allowed, as template references are read). */
const RESULT_PATH = /\{\{[ \t]*results_dir[ \t]*\}\}\/([^\s`|)*?<>{}[\]"']+)/g;
const OPTIONAL = /\boptional\b|\bif (any|present|needed|applicable)\b/i;

export function outputsSection(sections: readonly Heading[]): Heading | undefined {
  return sections.find((s) => OUTPUTS_HEADING.test(plainHeading(s.text)));
}

/**
 * The files the output manifest requires, relative to the results folder: every
 * `{{results_dir}}/path` on its lines (table rows or list items), except lines marked
 * optional and patterns (`*.png`, `<name>.md`), which name no one file.
 */
export function requiredOutputFiles(source: SourceText, sections: readonly Heading[]): string[] {
  const section = outputsSection(sections);
  if (!section) return [];
  const files = new Set<string>();
  for (const line of source.lines.slice(section.line, section.endLine)) {
    if (OPTIONAL.test(line)) continue;
    for (const m of line.matchAll(RESULT_PATH)) {
      const file = m[1].replace(/[.,;:]+$/, '');
      const next = line[(m.index ?? 0) + m[0].length];
      if (file && !file.endsWith('/') && !(next && /[*?<{[]/.test(next))) files.add(file);
    }
  }
  return [...files];
}
