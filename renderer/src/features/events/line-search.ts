import { stripAnsi } from './ansi';

/** A match: the line it is on and where it starts in the line's shown text (escapes removed). */
export interface LineMatch {
  line: number;
  start: number;
}

/** Where `query` occurs in `text`, case-insensitively (`query` already lower-cased), without overlaps. */
export function matchStarts(text: string, query: string): number[] {
  const starts: number[] = [];
  if (query === '') return starts;
  const haystack = text.toLowerCase();
  for (let at = haystack.indexOf(query); at >= 0; at = haystack.indexOf(query, at + query.length)) starts.push(at);
  return starts;
}

/**
 * Every match of a query in a growing list of lines. `update` scans only the lines added
 * since the last call, and the last line scanned again (an open line may have grown), so
 * following a flood of output costs the new text, not the whole log.
 */
export class LineSearch {
  readonly matches: LineMatch[] = [];
  private scanned = 0;
  private readonly query: string;

  constructor(query: string) {
    this.query = query.toLowerCase();
  }

  update(lines: readonly { text: string }[]): void {
    if (this.query === '') return;
    const from = Math.max(0, Math.min(this.scanned, lines.length) - 1);
    while (this.matches.length > 0 && this.matches[this.matches.length - 1].line >= from) this.matches.pop();
    for (let line = from; line < lines.length; line++) {
      for (const start of matchStarts(stripAnsi(lines[line].text), this.query)) this.matches.push({ line, start });
    }
    this.scanned = lines.length;
  }
}
