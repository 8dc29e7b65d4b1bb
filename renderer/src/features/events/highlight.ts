import type { AnsiSpan } from './ansi';

/** A styled span, marked when it is part of a search match (`current`: the match jumped to). */
export interface MarkedSpan extends AnsiSpan {
  mark?: 'match' | 'current';
}

/**
 * Cuts styled spans at the edges of matches (offsets in the joined text, each `length`
 * long) and marks the pieces inside them; `current` is the start of the focused match.
 */
export function markMatches(spans: readonly AnsiSpan[], starts: readonly number[], length: number, current: number | null): MarkedSpan[] {
  if (starts.length === 0 || length === 0) return [...spans];
  const out: MarkedSpan[] = [];
  let offset = 0;
  let m = 0;
  for (const span of spans) {
    const end = offset + span.text.length;
    let at = offset;
    while (at < end) {
      while (m < starts.length && starts[m] + length <= at) m++;
      const start = m < starts.length ? starts[m] : Infinity;
      if (start > at) {
        const cut = Math.min(end, start);
        out.push({ ...span, text: span.text.slice(at - offset, cut - offset) });
        at = cut;
      } else {
        const cut = Math.min(end, start + length);
        out.push({ ...span, text: span.text.slice(at - offset, cut - offset), mark: start === current ? 'current' : 'match' });
        at = cut;
      }
    }
    offset = end;
  }
  return out;
}
