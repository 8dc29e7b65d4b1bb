/** What dirtiness needs of a Monaco text model. */
interface TextModel {
  getAlternativeVersionId(): number;
  getValueLength(): number;
  getValue(): string;
}

interface Saved {
  /** The text last written to (or read from) disk, as the model holds it. */
  text: string;
  /** The model version `dirty` was computed for (undo/redo return to earlier versions). */
  version: number;
  dirty: boolean;
}

const saved = new Map<string, Saved>();

/** Records `text` (the model's text at `version`) as what the file on disk holds. */
export function markSaved(path: string, text: string, version: number): void {
  saved.set(path, { text, version, dirty: false });
}

/**
 * Whether the buffer differs from the text on disk. Compares contents, so typing and
 * deleting back to the saved text is clean again; only when the version changed, and
 * lengths first, so a keystroke in a long runbook rarely reads the whole buffer.
 */
export function isDirty(path: string, model: TextModel): boolean {
  const s = saved.get(path);
  if (!s) return true;
  const version = model.getAlternativeVersionId();
  if (version !== s.version) {
    s.version = version;
    s.dirty = model.getValueLength() !== s.text.length || model.getValue() !== s.text;
  }
  return s.dirty;
}
