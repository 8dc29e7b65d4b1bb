/**
 * A runbook's folder as it travels with the runbook: the files beside RUNBOOK.md (scripts,
 * a manifest, examples, reference images) that a run's working directory holds, locally
 * and on a remote, and that a deploy carries. Bounded in files and bytes; `.jettyignore`
 * (gitignore syntax) and the usual dependency and VCS folders are left out; a symbolic link
 * is followed only to a file inside the folder, never out of it.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';

/** The most a runbook's folder may hold (what is not ignored). */
export const MAX_FOLDER_FILES = 2_000;
export const MAX_FOLDER_BYTES = 64 * 1024 * 1024;
/** Never part of a runbook's folder: dependencies, VCS data, caches. */
const ALWAYS_IGNORED = ['.git/', 'node_modules/', '.venv/', '__pycache__/', '.DS_Store', '.jettyignore'];
export const IGNORE_FILE = '.jettyignore';

export interface FolderFile {
  /** Its path in the folder, with `/` separators. */
  path: string;
  /** Where its bytes are on this machine. */
  sourcePath: string;
  size: number;
  /** 0o755 for a file its owner may execute, else 0o644. */
  mode: number;
}

export interface RunbookFolder {
  files: FolderFile[];
  bytes: number;
  /** What was left out and why (a link out of the folder, a special file). */
  skipped: { path: string; reason: string }[];
}

/** A runbook folder past its bounds: says which and what to do. */
export class RunbookFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunbookFolderError';
  }
}

const inside = (root: string, file: string) => file === root || file.startsWith(`${root}${path.sep}`);

/** The files of the folder holding `runbookPath` that go with it (RUNBOOK.md itself included). */
export async function runbookFolder(runbookPath: string): Promise<RunbookFolder> {
  const root = await realpath(path.dirname(path.resolve(runbookPath)));
  const rules = ignore().add(ALWAYS_IGNORED);
  const ignoreFile = await readFile(path.join(root, IGNORE_FILE), 'utf8').catch(() => null);
  if (ignoreFile !== null) rules.add(ignoreFile);
  const folder: RunbookFolder = { files: [], bytes: 0, skipped: [] };

  const add = (relative: string, sourcePath: string, size: number, executable: boolean) => {
    folder.files.push({ path: relative, sourcePath, size, mode: executable ? 0o755 : 0o644 });
    folder.bytes += size;
    if (folder.files.length > MAX_FOLDER_FILES) {
      throw new RunbookFolderError(`the runbook's folder holds more than ${MAX_FOLDER_FILES} files: list what its runs do not need in ${IGNORE_FILE} (gitignore syntax) beside RUNBOOK.md`);
    }
    if (folder.bytes > MAX_FOLDER_BYTES) {
      throw new RunbookFolderError(`the runbook's folder holds more than ${MAX_FOLDER_BYTES / 1024 / 1024} MiB (at ${relative}): list what its runs do not need in ${IGNORE_FILE} (gitignore syntax) beside RUNBOOK.md`);
    }
  };

  async function walk(dir: string): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (rules.ignores(entry.isDirectory() ? `${relative}/` : relative)) continue;
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile()) {
        const info = await lstat(full);
        add(relative, full, info.size, (info.mode & 0o100) !== 0);
      } else if (entry.isSymbolicLink()) {
        const target = await realpath(full).catch(() => null);
        const info = target && inside(root, target) ? await stat(target) : null;
        if (info?.isFile()) add(relative, target!, info.size, (info.mode & 0o100) !== 0);
        else folder.skipped.push({ path: relative, reason: target && inside(root, target) ? 'a link to a folder' : 'a link out of the folder (or to nothing)' });
      } else {
        folder.skipped.push({ path: relative, reason: 'not a regular file' });
      }
    }
  }
  await walk(root);
  return folder;
}
