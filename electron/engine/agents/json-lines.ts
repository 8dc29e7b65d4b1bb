/** A JSON object on one line of a CLI's JSONL output. */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One line of a CLI's JSONL output (claude-code's and gemini-cli's stream-json, codex's
 * `exec --json`): the object it holds, or null for a blank line or a JSON value that is no
 * object; a line that is not JSON at all goes to `notJson` (the readers log it as a warning).
 */
export function parseJsonLine(raw: string, notJson: (raw: string) => void): Json | null {
  if (!raw.trim()) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    notJson(raw);
    return null;
  }
  return isObject(parsed) ? parsed : null;
}
