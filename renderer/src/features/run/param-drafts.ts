import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Parameter } from '../../../../shared/runbook';
import type { ParamValues } from './ParameterForm';

interface ParamDrafts {
  /** The values typed for each runbook (by path), secrets left out: kept in localStorage across restarts. */
  byRunbook: Record<string, ParamValues>;
  /** Password parameters' values, for this session only (never written anywhere). */
  secretsByRunbook: Record<string, ParamValues>;
  /** Keeps a runbook's values; those of password parameters only in memory. */
  keep(path: string, parameters: Parameter[], values: ParamValues): void;
  /** Forgets a runbook's values (Reset to defaults). */
  forget(path: string): void;
}

const isSecret = (parameters: Parameter[], name: string) => parameters.some((p) => p.name === name && p.type === 'password');

export const useParamDrafts = create<ParamDrafts>()(
  persist(
    (set) => ({
      byRunbook: {},
      secretsByRunbook: {},
      keep: (path, parameters, values) =>
        set((s) => {
          const entries = Object.entries(values);
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
    { name: 'jetty.runParameters', version: 1, partialize: (s) => ({ byRunbook: s.byRunbook }) },
  ),
);

/** A runbook's kept values (secrets of this session included), or none. */
export const draftOf = (s: ParamDrafts, path: string): ParamValues | undefined =>
  s.byRunbook[path] || s.secretsByRunbook[path] ? { ...s.byRunbook[path], ...s.secretsByRunbook[path] } : undefined;
