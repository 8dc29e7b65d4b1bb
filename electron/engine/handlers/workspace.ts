import type { Api } from '../../../shared/contract';
import { analyzeRunbookFile } from '../runbook';
import { readTextFile } from '../runbook/read-file';
import type { SettingsFile } from '../settings';
import { saveInsideFolders } from '../workspace/save-inside-folders';
import type { Workspaces } from '../workspace/workspaces';

/** Open folders and the runbooks in them: read, lint as you type, save. */
export function workspaceHandlers(workspaces: Workspaces, settings: SettingsFile) {
  return {
    'workspace.current': async () => workspaces.list(),
    'workspace.open': async ({ folder }) => {
      const ws = await workspaces.open(folder);
      settings.remember(ws.folder);
      return ws;
    },
    'runbook.read': async ({ path }) => ({ path, text: await readTextFile(path) }),
    'runbook.lint': async ({ path, text }) => analyzeRunbookFile(path, text),
    'runbook.save': async ({ path, text }) => {
      const folder = await saveInsideFolders((await workspaces.list()).map((w) => w.folder), path, text);
      void workspaces.open(folder).catch(() => undefined); // rescan: the list's counts follow the save
      return analyzeRunbookFile(path, text);
    },
  } satisfies Partial<Api>;
}
