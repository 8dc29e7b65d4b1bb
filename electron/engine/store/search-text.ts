/**
 * The text full-text search finds in a trajectory's records, all of it already redacted:
 * an event's words (its message, reasoning, command output, a tool call's name and
 * arguments, a result's output, a file change's path and diff, a log line…), a model
 * prompt's or completion's message, a result file's text.
 */

/** Most characters of one record that are indexed (the rest of a long output is not searchable). */
export const MAX_INDEXED_CHARS = 32 * 1024;

/** Payload fields that are identifiers, hashes or enumerations: not words anyone searches for. */
const NOT_WORDS = new Set([
  'id',
  'tool_call_id',
  'call_id',
  'prompt_ref',
  'completion_ref',
  'sha256',
  'session_id',
  'source',
  'api',
  'stream',
  'role',
  'phase',
  'status',
  'level',
  'media_type',
]);

/** String values of `value`, depth first, skipping NOT_WORDS fields, until `budget` characters. */
function collect(value: unknown, out: string[], budget: { left: number }, depth: number): void {
  if (budget.left <= 0 || depth > 16) return;
  if (typeof value === 'string') {
    const text = value.length > budget.left ? value.slice(0, budget.left) : value;
    budget.left -= text.length + 1;
    out.push(text);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, out, budget, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (!NOT_WORDS.has(key)) collect(item, out, budget, depth + 1);
  }
}

const joined = (parts: unknown[]): string => {
  const out: string[] = [];
  const budget = { left: MAX_INDEXED_CHARS };
  for (const part of parts) collect(part, out, budget, 0);
  return out.join('\n');
};

/**
 * An event's searchable text, from its stored (redacted) payload: every string in it but
 * identifiers and enumerations (a tool call's arguments are strings inside an object; a
 * format-1 event's fields are found the same way). Its step name is words too.
 */
export function eventSearchText(step: string | null, payloadJson: string): string {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    payload = payloadJson;
  }
  return joined([step, payload]);
}

/**
 * A conversation message's searchable text (its stored, redacted body): what was said, a
 * tool call's arguments, a tool's answer, reasoning. Images and the declared tools' schemas
 * are not words.
 */
export function messageSearchText(bodyJson: string): string {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(bodyJson) as Record<string, unknown>;
  } catch {
    return '';
  }
  switch (body.role) {
    case 'system':
      return joined([body.text]);
    case 'user':
      return joined((Array.isArray(body.content) ? body.content : []).map((part: { type?: unknown; text?: unknown }) => (part?.type === 'text' ? part.text : null)));
    case 'assistant':
      return joined([body.text, body.reasoning, (Array.isArray(body.toolCalls) ? body.toolCalls : []).map((c: { name?: unknown; arguments?: unknown }) => [c?.name, c?.arguments])]);
    case 'tool':
      return joined([body.name, body.content]);
    default:
      return '';
  }
}

/** A result file's searchable text: its first MAX_INDEXED_CHARS characters. */
export const fileSearchText = (text: string): string => joined([text]);

/** A word as FTS5's unicode61 tokenizer sees it: a run of letters, digits and combining marks. */
export const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
/** What separates words (splitting on it is several times faster than matching TOKEN). */
export const NOT_TOKEN = /[^\p{L}\p{N}\p{M}]+/u;

/**
 * A search box's text as FTS5 terms, each of which a matching trajectory holds somewhere:
 * every token of every whitespace-separated word, quoted (punctuation and FTS5's operators
 * are plain text), the last one also a prefix once it has three characters while it is
 * still being typed (no space after it). At most 16; empty when there is no word.
 */
export function searchTerms(input: string, prefixLast = true): string[] {
  const tokens = (input.toLowerCase().match(TOKEN) ?? []).slice(0, 16);
  const typingLast = prefixLast && !/\s$/.test(input) && /[\p{L}\p{N}\p{M}]$/u.test(input);
  return tokens.map((t, i) => (i === tokens.length - 1 && typingLast && [...t].length >= 3 ? `"${t}"*` : `"${t}"`));
}

/** The words of a search box, lower-cased, for marking them in what was found. */
export const searchWords = (input: string): string[] =>
  input
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);

/** Where in `text` the first of `words` is, as a snippet of about `width` characters on one line. */
export function snippetAround(text: string, words: readonly string[], width = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const w of words) {
    const found = lower.indexOf(w);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  if (at < 0) return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
  const start = Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}
