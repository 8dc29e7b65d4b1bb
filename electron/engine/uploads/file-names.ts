/**
 * The one rule for the name of a file a client sends (an upload, a multipart file): one
 * plain segment of at most MAX_FILE_NAME_BYTES UTF-8 bytes (file systems allow 255 bytes,
 * not characters: 86 CJK characters are 258), without folders, `.`/`..`, control
 * characters or bidirectional controls (U+202E "right-to-left override" makes
 * `gnp.exe` show as `exe.png`).
 */
export const MAX_FILE_NAME_BYTES = 200;

const CONTROL = /[\u0000-\u001f\u007f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Why `name` cannot be a file's name, or null. */
export function fileNameProblem(name: string): string | null {
  if (!name) return 'a file name is needed';
  if (Buffer.byteLength(name) > MAX_FILE_NAME_BYTES) return `a file name may be at most ${MAX_FILE_NAME_BYTES} bytes (UTF-8); this one is ${Buffer.byteLength(name)}`;
  if (/[\\/]/.test(name) || name === '.' || name === '..') return `file name '${name}' must be a plain name, without folders or '..'`;
  if (new RegExp(CONTROL.source).test(name)) return 'a file name must not contain control characters';
  if (new RegExp(BIDI.source).test(name)) return 'a file name must not contain bidirectional text controls (such as U+202E)';
  return null;
}

/** A client's name made one safe segment: the last segment, controls removed, cut to MAX_FILE_NAME_BYTES at a character boundary; `fallback` when nothing is left. */
export function safeFileName(name: string | undefined, fallback = 'upload'): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  let clean = base.replace(CONTROL, '').replace(BIDI, '').trim();
  while (Buffer.byteLength(clean) > MAX_FILE_NAME_BYTES) clean = [...clean].slice(0, -1).join('');
  return clean === '' || clean === '.' || clean === '..' ? fallback : clean;
}
