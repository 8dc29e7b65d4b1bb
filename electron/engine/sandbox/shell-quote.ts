/** `text` as one POSIX shell word (single-quoted, inner quotes escaped). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
