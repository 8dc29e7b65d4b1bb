import { create } from 'zustand';
import type { Diagnostic, Parameter, Secret } from '../../../shared/runbook';
import { apiClient } from './connection';

const LINT_DELAY_MS = 250;

interface EditorState {
  /** Diagnostics of the text in the editor (not the file on disk). */
  diagnostics: Diagnostic[];
  /** Parameters and secrets the text declares (for completions and hovers). */
  parameters: Parameter[];
  secrets: Secret[];
  dirty: boolean;
  /** Every runbook with unsaved edits (their buffers outlive the editor switching runbooks). */
  dirtyPaths: ReadonlySet<string>;
  saving: boolean;
  /** The last load/lint/save failure to show, if any. */
  error: string | null;
  /** Whether the open runbook at `path` has unsaved edits. */
  setDirty(path: string, dirty: boolean): void;
  /** Lints `text` after a short pause in typing; answers to older texts are dropped. */
  scheduleLint(path: string, text: () => string): void;
  lintNow(path: string, text: string): Promise<void>;
  /** Saves; resolves true when written. */
  save(path: string, text: string): Promise<boolean>;
  reset(): void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
let lintTimer: ReturnType<typeof setTimeout> | undefined;
let lintGeneration = 0;

export const useEditor = create<EditorState>((set, get) => ({
  diagnostics: [],
  parameters: [],
  secrets: [],
  dirty: false,
  dirtyPaths: new Set(),
  saving: false,
  error: null,
  setDirty(path, dirty) {
    const paths = get().dirtyPaths;
    if (paths.has(path) === dirty) return set({ dirty });
    const next = new Set(paths);
    if (dirty) next.add(path);
    else next.delete(path);
    set({ dirty, dirtyPaths: next });
  },
  scheduleLint(path, text) {
    clearTimeout(lintTimer);
    lintTimer = setTimeout(() => void get().lintNow(path, text()), LINT_DELAY_MS);
  },
  async lintNow(path, text) {
    const generation = ++lintGeneration;
    try {
      const analysis = await apiClient()['runbook.lint']({ path, text });
      if (generation === lintGeneration) set({ diagnostics: analysis.diagnostics, parameters: analysis.parameters, secrets: analysis.secrets, error: null });
    } catch (err) {
      if (generation === lintGeneration) set({ error: `Could not check the runbook: ${messageOf(err)}` });
    }
  },
  async save(path, text) {
    clearTimeout(lintTimer);
    const generation = ++lintGeneration;
    set({ saving: true });
    try {
      const analysis = await apiClient()['runbook.save']({ path, text });
      set({ saving: false, error: null, ...(generation === lintGeneration ? { diagnostics: analysis.diagnostics } : {}) });
      return true;
    } catch (err) {
      set({ saving: false, error: `Not saved: ${messageOf(err)}` });
      return false;
    }
  },
  reset() {
    clearTimeout(lintTimer);
    lintGeneration++;
    set({ diagnostics: [], parameters: [], secrets: [], dirty: false, saving: false, error: null });
  },
}));
