/**
 * Unsaved runbook text kept in the browser's storage, so a reload (or a crash of the
 * window) does not lose it: written shortly after each edit, removed once the buffer is
 * saved or back to the saved text.
 */
const key = (path: string) => `jetty.draft:${path}`;

export function keepDraft(path: string, text: string): void {
  try {
    localStorage.setItem(key(path), text);
  } catch {
    // Storage full or disabled: the buffer itself is still there until the page goes.
  }
}

export function dropDraft(path: string): void {
  localStorage.removeItem(key(path));
}

export function draftOf(path: string): string | null {
  return localStorage.getItem(key(path));
}
