import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import { analyzeRunbookFile, CODES, LINT_CONFIG_FILE } from '../runbook';
import { readTextFile } from '../runbook/read-file';
import { ignoreInFolderConfig, ignoreInRunbookFix } from '../runbook/suppression';
import { applyEdits } from '../runbook/text-edits';
import { fixAllInFiles } from '../workspace/fix-all';
import { resolveInsideRoots } from '../workspace/inside-roots';
import { searchRunbookTexts } from '../workspace/search-runbooks';
import type { SettingsFile } from '../base/settings';
import { runbookPathCheck } from '../workspace/runbook-roots';
import { saveInsideFolders } from '../workspace/save-inside-folders';
import type { Workspaces } from '../workspace/workspaces';
import { expandHome } from '../base/home-path';

/** Open folders and the runbooks in them: read, lint as you type, save, search, the folder's problems. Reads stay inside the open folders. */
export function workspaceHandlers(workspaces: Workspaces, settings: SettingsFile, dataDir: string) {
  const openFolders = async () => (await workspaces.list()).map((w) => w.folder);
  const readable = runbookPathCheck(workspaces.list, dataDir);
  /** Saves inside an open folder; returns the folder to rescan (the list's counts and the problems follow). */
  const save = async (file: string, text: string) => saveInsideFolders(await openFolders(), file, text);
  const insideOpenFolder = async (file: string) => resolveInsideRoots(await openFolders(), file, 'refusing to change a file outside the open folders');
  const openFolderOf = async (folder: string) => {
    const resolved = nodePath.resolve(folder);
    if (!(await openFolders()).includes(resolved)) throw new ApiError('not_found', `${folder} is not an open folder`);
    return resolved;
  };
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
      const folder = await save(path, text);
      void workspaces.open(folder).catch(() => undefined); // rescan: the list's counts follow the save
      return analyzeRunbookFile(path, text);
    },
    'runbook.search': async ({ query, limit }) => ({ paths: await searchRunbookTexts((await workspaces.list()).flatMap((w) => w.runbooks), query, limit ?? 500) }),
    'lint.problems': async ({ folder }) => {
      const found = workspaces.problems(await openFolderOf(folder));
      const codes = new Set(found.files.flatMap((f) => f.diagnostics.map((d) => d.code)));
      return { ...found, rules: Object.fromEntries([...codes].map((code) => [code, CODES[code as keyof typeof CODES]?.title ?? ''])) };
    },
    'lint.fixAll': async ({ folder, code, skip }) => {
      const root = await openFolderOf(folder);
      const skipped = new Set((skip ?? []).map((p) => nodePath.resolve(p)));
      const fixable = workspaces.problems(root).files.filter((f) => f.kind === 'runbook' && !skipped.has(f.path) && f.diagnostics.some((d) => d.code === code && d.fix));
      const result = await fixAllInFiles(fixable.map((f) => f.path), code, async (file, text) => void (await save(file, text)));
      if (result.files.length > 0) await workspaces.open(root); // the problems and counts the answer is followed by are the new ones
      return result;
    },
    'lint.ignore': async ({ path, code, scope, text }) => {
      // A folder scope may name the open folder itself.
      const { root, target } = scope === 'folder' && (await openFolders()).includes(nodePath.resolve(path)) ? { root: nodePath.resolve(path), target: path } : await insideOpenFolder(path);
      if (scope === 'folder') {
        const file = nodePath.join(root, LINT_CONFIG_FILE);
        const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
        let next: string | null;
        try {
          next = ignoreInFolderConfig(existing, code);
        } catch (error) {
          throw new ApiError('invalid_input', `${file}: ${(error as Error).message}`);
        }
        if (next !== null) {
          await save(file, next);
          await workspaces.open(root);
        }
        return { file, fix: null };
      }
      const current = text ?? (await readTextFile(target));
      const fix = ignoreInRunbookFix(current, code);
      if (!fix) throw new ApiError('invalid_input', `${code} is already ignored in ${path}, or its frontmatter is not valid YAML to edit`);
      if (text !== undefined) return { file: null, fix };
      await save(path, applyEdits(current, fix.edits));
      await workspaces.open(root);
      return { file: path, fix: null };
    },
  } satisfies Partial<Api>;
}
