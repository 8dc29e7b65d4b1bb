import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Parameter } from '../../../../shared/runbook';
import type { ParamValues } from './ParameterForm';

interface ParamDrafts {
  /** The values typed for each runbook (by path), secrets left out: kept in localStorage across restarts. */
  byRunbook: Record<string, ParamValues>;
  /** Password parameters' values, for this session only (never written anywhere). */
  secretsByRunbook: Record<string, ParamValues>;
  /**
   * Applies changed fields to a runbook's kept values (read from the store as it is now, so
   * two changes in quick succession both stay); values equal to the default are dropped,
   * those of password parameters kept only in memory.
   */
  change(path: string, parameters: Parameter[], changes: ParamValues, defaults: ParamValues): void;
  /** Forgets a runbook's values (Reset to defaults). */
  forget(path: string): void;
  /** The run each runbook's next run re-runs (set by Re-run, cleared once it starts). */
  rerunOf: Record<string, string>;
  setRerunOf(path: string, id: string | undefined): void;
}

const isSecret = (parameters: Parameter[], name: string) => parameters.some((p) => p.name === name && p.type === 'password');

export const useParamDrafts = create<ParamDrafts>()(
  persist(
    (set) => ({
      byRunbook: {},
      secretsByRunbook: {},
      rerunOf: {},
      setRerunOf: (path, id) =>
        set((s) => {
          const { [path]: _old, ...rest } = s.rerunOf;
          return { rerunOf: id ? { ...rest, [path]: id } : rest };
        }),
      change: (path, parameters, changes, defaults) =>
        set((s) => {
          const merged = { ...s.byRunbook[path], ...s.secretsByRunbook[path], ...changes };
          const entries = Object.entries(merged).filter(([k, v]) => v !== (defaults[k] ?? ''));
          return {
            byRunbook: { ...s.byRunbook, [path]: Object.fromEntries(entries.filter(([k]) => !isSecret(parameters, k))) },
            secretsByRunbook: { ...s.secretsByRunbook, [path]: Object.fromEntries(entries.filter(([k]) => isSecret(parameters, k))) },
          };
        }),
      forget: (path) =>
        set((s) => {
          const { [path]: _kept, ...byRunbook } = s.byRunbook;
          const { [path]: _secrets, ...secretsByRunbook } = s.secretsByRunbook;
          return { byRunbook, secretsByRunbook };
        }),
    }),
    { name: 'jetty.runParameters', version: 1, partialize: (s) => ({ byRunbook: s.byRunbook, rerunOf: s.rerunOf }) },
  ),
);
