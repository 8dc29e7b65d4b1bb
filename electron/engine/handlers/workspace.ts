import type { Api } from '../../../shared/contract';
import { analyzeRunbookFile } from '../runbook';
import { readTextFile } from '../runbook/read-file';
import type { SettingsFile } from '../base/settings';
import { runbookPathCheck } from '../workspace/runbook-roots';
import { saveInsideFolders } from '../workspace/save-inside-folders';
import type { Workspaces } from '../workspace/workspaces';
import { expandHome } from '../base/home-path';

/** Open folders and the runbooks in them: read, lint as you type, save. Reads stay inside the open folders. */
export function workspaceHandlers(workspaces: Workspaces, settings: SettingsFile, dataDir: string) {
  const openFolders = async () => (await workspaces.list()).map((w) => w.folder);
  const readable = runbookPathCheck(workspaces.list, dataDir);
  return {
    'workspace.current': async () => workspaces.list(),
    'workspace.open': async ({ folder }) => {
      const ws = await workspaces.open(expandHome(folder));
      settings.remember(ws.folder);
      return ws;
    },
    'runbook.read': async ({ path }) => ({ path, text: await readTextFile(await readable(path)) }),
    // With `text` the file is not read, but its folder's manifest.json is: the same check.
    'runbook.lint': async ({ path, text }) => {
      await readable(path);
      return analyzeRunbookFile(path, text);
    },
    'runbook.save': async ({ path, text }) => {
      const folder = await saveInsideFolders(await openFolders(), path, text);
      void workspaces.open(folder).catch(() => undefined); // rescan: the list's counts follow the save
      return analyzeRunbookFile(path, text);
    },
  } satisfies Partial<Api>;
}
