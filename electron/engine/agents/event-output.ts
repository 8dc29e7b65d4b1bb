/** Tool output kept in a `tool_result` event (the model may see more). */
export const EVENT_OUTPUT_LIMIT = 4000;

/** Keeps the head and tail of long text, with a note saying what was left out. */
export function truncateMiddle(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const half = Math.floor(limit / 2);
  const omitted = text.length - 2 * half;
  return `${text.slice(0, half)}\n[… output truncated: ${omitted} of ${text.length} characters omitted; redirect to a file and read parts of it if you need more …]\n${text.slice(-half)}`;
}
