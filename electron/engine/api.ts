import type { Api } from '../../shared/contract';
import { analyzeRunbookFile, analyzeRunbookText } from './runbook';
import { createEventBus, type EventBus } from './events';
import { createWorkspaces } from './workspace/workspaces';
import { saveInsideFolders } from './workspace/save-inside-folders';
import { readTextFile } from './runbook/read-file';
import { VERSION } from './version';

export interface EngineOptions {
  dataDir: string;
  /** Folders to open at start (e.g. `jetty serve <folder>`). */
  folders?: string[];
}

export interface Engine {
  api: Api;
  bus: EventBus;
  close(): Promise<void>;
}

/** Wires the engine's modules into the contract's methods. Transports call only this. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const bus = createEventBus();
  const workspaces = createWorkspaces(bus);
  for (const folder of options.folders ?? []) await workspaces.open(folder);

  const api: Api = {
    'app.info': async () => ({ version: VERSION, dataDir: options.dataDir }),
    'workspace.current': async () => workspaces.list(),
    'workspace.open': async ({ folder }) => workspaces.open(folder),
    'runbook.read': async ({ path }) => ({ path, text: await readTextFile(path) }),
    'runbook.lint': async ({ path, text }) =>
      text === undefined ? analyzeRunbookFile(path) : analyzeRunbookText(text, { path }),
    'runbook.save': async ({ path, text }) => {
      const folder = await saveInsideFolders((await workspaces.list()).map((w) => w.folder), path, text);
      void workspaces.open(folder).catch(() => undefined); // rescan: the list's counts follow the save
      return analyzeRunbookText(text, { path });
    },
  };
  return { api, bus, close: async () => workspaces.close() };
}
