import { copyFile, chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runbookFolder } from '../../runbook/folder';

/** Where the edited copies of runbooks being evaluated are: `<dataDir>/suggestions/<set>/<number>/<collection>/<task>/`. */
export const suggestionsDir = (dataDir: string): string => path.join(dataDir, 'suggestions');

const copyRoot = (dataDir: string, setId: string, number: number) => path.join(suggestionsDir(dataDir), setId, String(number));

/**
 * A copy of the runbook's folder — the files a run of it gets, within the same bounds — with
 * RUNBOOK.md replaced by `editedText`, under the data folder; its folder names are the
 * original's (the runs are filed under the same collection and task). Returns its RUNBOOK.md.
 */
export async function writeEditedCopy(dataDir: string, setId: string, number: number, runbookPath: string, editedText: string): Promise<string> {
  const folder = await runbookFolder(runbookPath);
  const root = copyRoot(dataDir, setId, number);
  const runbook = editedCopyPath(dataDir, setId, number, runbookPath);
  const target = path.dirname(runbook);
  await rm(root, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const runbookName = path.basename(runbookPath);
  for (const file of folder.files) {
    if (file.path === runbookName) continue;
    const to = path.join(target, ...file.path.split('/'));
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(file.sourcePath, to);
    await chmod(to, file.mode);
  }
  await writeFile(runbook, editedText, 'utf8');
  return runbook;
}

/** Where a suggestion's edited copy of RUNBOOK.md is (resolved, as an evaluation stores its runbook's path). */
export function editedCopyPath(dataDir: string, setId: string, number: number, runbookPath: string): string {
  const source = path.dirname(path.resolve(runbookPath));
  return path.resolve(copyRoot(dataDir, setId, number), path.basename(path.dirname(source)) || 'local', path.basename(source), path.basename(runbookPath));
}

/** Removes a suggestion's copy once its evaluation has ended (its runs keep what they ran). */
export const removeEditedCopy = (dataDir: string, setId: string, number: number): Promise<void> => rm(copyRoot(dataDir, setId, number), { recursive: true, force: true });
