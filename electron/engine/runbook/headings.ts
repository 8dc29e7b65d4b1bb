import type { Heading } from '../../../shared/runbook';
import type { HeadingLine } from './markdown-scan';

export interface HeadingOutline {
  /** Top-level headings, each with its nested children. */
  tree: Heading[];
  /** The same nodes in document order. */
  sections: Heading[];
}

/**
 * Nests headings by level; a section ends the line before the next heading of the same
 * or a higher level (or at `lastLine`).
 */
export function buildOutline(headings: readonly HeadingLine[], lastLine: number): HeadingOutline {
  const tree: Heading[] = [];
  const sections: Heading[] = [];
  const open: Heading[] = [];
  for (const h of headings) {
    while (open.length > 0 && open[open.length - 1].level >= h.level) open.pop()!.endLine = h.line - 1;
    const node: Heading = { level: h.level, text: h.text, line: h.line, endLine: lastLine, children: [] };
    (open.length > 0 ? open[open.length - 1].children : tree).push(node);
    open.push(node);
    sections.push(node);
  }
  return { tree, sections };
}

/** Heading text without markdown emphasis and code marks, for matching by wording. */
export function plainHeading(text: string): string {
  return text.replace(/[*_`]/g, '').trim();
}
