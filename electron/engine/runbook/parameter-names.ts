/** The variable every run provides: results always go to `{{results_dir}}`. */
export const RESULTS_DIR = 'results_dir';

const RESULTS_LABEL = /^results?[ _-]*dir(?:ectory)?$/i;
const ABBREVIATIONS: Record<string, string> = { directory: 'dir', maximum: 'max', minimum: 'min', number: 'num' };

/** `Input PDF(s)` → `input_pdf`, `Results directory` → `results_directory`. */
export function slugOf(label: string): string {
  return label
    .replace(/\(s\)/gi, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const tokens = (name: string) => name.split('_').filter(Boolean);
const expand = (token: string) => [token, ABBREVIATIONS[token]].filter(Boolean);

/**
 * Spellings a Parameters-table label may stand for when the table has no Template
 * Variable column, best first: the slug, the slug without parenthesised words, the slug
 * with common abbreviations (`Results directory` is always `results_dir`).
 */
export function nameCandidates(label: string): string[] {
  if (RESULTS_LABEL.test(label.trim())) return [RESULTS_DIR];
  const slug = slugOf(label);
  const bare = slugOf(label.replace(/\([^)]*\)/g, ' '));
  const abbreviated = tokens(slug)
    .map((t) => ABBREVIATIONS[t] ?? t)
    .join('_');
  return [...new Set([slug, bare, abbreviated])].filter((c) => c !== '');
}

/**
 * A used, not yet claimed variable whose words all appear in the label
 * (`Analysis window (days)` → `window_days`); the one with most words wins.
 */
export function looseMatch(label: string, used: Iterable<string>, claimed: ReadonlySet<string>): string | null {
  const labelWords = new Set(tokens(slugOf(label)).flatMap(expand));
  let best: string | null = null;
  for (const name of used) {
    if (claimed.has(name) || name === RESULTS_DIR) continue;
    const words = tokens(name);
    if (words.length > tokens(best ?? '').length && words.every((w) => labelWords.has(w))) best = name;
  }
  return best;
}
