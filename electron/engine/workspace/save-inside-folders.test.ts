import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveInsideFolders } from './save-inside-folders';

let tmp: string;
let folder: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'jetty-save-'));
  folder = path.join(tmp, 'ws');
  await mkdir(path.join(folder, 'runbooks', 'a'), { recursive: true });
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

describe('saveInsideFolders', () => {
  it('replaces the file atomically, keeps its mode and leaves no temporary file', async () => {
    const file = path.join(folder, 'runbooks', 'a', 'RUNBOOK.md');
    await writeFile(file, 'old', { mode: 0o640 });
    expect(await saveInsideFolders([folder], file, 'new text')).toBe(folder);
    expect(await readFile(file, 'utf8')).toBe('new text');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(path.dirname(file))).toEqual(['RUNBOOK.md']);
  });

  it('refuses paths outside the open folders, also through .. and symlinks', async () => {
    await writeFile(path.join(tmp, 'outside.md'), 'keep');
    await symlink(path.join(tmp, 'outside.md'), path.join(folder, 'link.md'));
    for (const file of [path.join(tmp, 'outside.md'), path.join(folder, '..', 'outside.md'), path.join(folder, 'link.md')]) {
      await expect(saveInsideFolders([folder], file, 'x')).rejects.toThrow(/outside the open folders/);
    }
    await expect(saveInsideFolders([folder], 'relative/RUNBOOK.md', 'x')).rejects.toThrow(/must be absolute/);
    expect(await readFile(path.join(tmp, 'outside.md'), 'utf8')).toBe('keep');
  });
});
