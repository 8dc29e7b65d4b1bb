/** Something quick-open can find: the text matched (e.g. "collection/sub/name") and what it opens. */
export interface Candidate {
  label: string;
  path: string;
}

const WORD_START = /[/\s_.-]/;

/**
 * How well `query` matches `label` as a subsequence (characters in order, any case), or
 * null when it does not: runs of consecutive characters and characters at a word start
 * (after / - _ . or a space) score higher, a match in the last segment (the name) more
 * still, the query found whole most (as the name's start, or the whole name, above all),
 * and shorter labels break ties.
 */
export function score(label: string, query: string): number | null {
  const text = label.toLowerCase();
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return 0;
  const nameStart = text.lastIndexOf('/') + 1;
  let total = 0;
  let at = -1;
  let run = 0;
  for (const ch of q) {
    const next = text.indexOf(ch, at + 1);
    if (next < 0) return null;
    run = next === at + 1 ? run + 1 : 0;
    total += 1 + run * 2 + (next === 0 || WORD_START.test(text[next - 1]) ? 3 : 0) + (next >= nameStart ? 1 : 0);
    at = next;
  }
  // Typed as one piece: better than scattered letters, better as the start of the name, best as the whole name.
  const whole = text.lastIndexOf(q);
  if (whole >= 0) total += q.length * 3 + (whole === nameStart ? 10 : 0) + (whole === nameStart && whole + q.length === text.length ? 10 : 0);
  return total - label.length / 100;
}

/**
 * Which characters of `label` a query matched, to mark them: the query found whole where
 * `score` counts it whole, else each character where the in-order scan found it; null when
 * it does not match.
 */
export function matchPositions(label: string, query: string): number[] | null {
  const text = label.toLowerCase();
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return [];
  const whole = text.lastIndexOf(q);
  if (whole >= 0) return Array.from({ length: q.length }, (_, i) => whole + i);
  const positions: number[] = [];
  let at = -1;
  for (const ch of q) {
    at = text.indexOf(ch, at + 1);
    if (at < 0) return null;
    positions.push(at);
  }
  return positions;
}

/** The best `limit` candidates for `query`, best first (all, in order, for an empty query). */
export function rank<C extends { label: string }>(candidates: readonly C[], query: string, limit: number): C[] {
  if (query.trim() === '') return candidates.slice(0, limit);
  const scored: { c: C; s: number }[] = [];
  for (const c of candidates) {
    const s = score(c.label, query);
    if (s !== null) scored.push({ c, s });
  }
  return scored
    .sort((a, b) => b.s - a.s || a.c.label.localeCompare(b.c.label))
    .slice(0, limit)
    .map((x) => x.c);
}
