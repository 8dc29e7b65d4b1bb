import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveInsideRoots } from './inside-roots';

const REFUSAL = 'refusing to read outside';
let tmp: string;
let root: string;
beforeEach(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'jetty-roots-')));
  root = path.join(tmp, 'ws');
  await mkdir(path.join(root, 'runbooks', 'a'), { recursive: true });
  await writeFile(path.join(root, 'runbooks', 'a', 'RUNBOOK.md'), '# a');
  await writeFile(path.join(tmp, 'outside.md'), 'secret');
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

describe('resolveInsideRoots', () => {
  it('gives the real path and the root of a file inside, or of a file not there yet', async () => {
    const file = path.join(root, 'runbooks', 'a', 'RUNBOOK.md');
    expect(await resolveInsideRoots([tmp + '/nowhere', root], file, REFUSAL)).toEqual({ root, target: file });
    const fresh = path.join(root, 'runbooks', 'a', 'NEW.md');
    expect(await resolveInsideRoots([root], fresh, REFUSAL)).toEqual({ root, target: fresh });
    await symlink(file, path.join(root, 'alias.md'));
    expect((await resolveInsideRoots([root], path.join(root, 'alias.md'), REFUSAL)).target).toBe(file);
  });

  it('refuses paths outside, through "..", and through symlinks out of the root', async () => {
    await symlink(path.join(tmp, 'outside.md'), path.join(root, 'link.md'));
    await symlink(tmp, path.join(root, 'up'));
    for (const file of [path.join(tmp, 'outside.md'), `${root}/../outside.md`, path.join(root, 'link.md'), path.join(root, 'up', 'outside.md'), root, `${root}-sibling/x`]) {
      await expect(resolveInsideRoots([root], file, REFUSAL), file).rejects.toMatchObject({ code: 'invalid_input', message: `${REFUSAL}: ${file}` });
    }
  });

  it('answers a missing path outside exactly as an existing one, so it tells nothing about the outside', async () => {
    const answers = [];
    for (const file of [path.join(tmp, 'outside.md'), path.join(tmp, 'missing.md'), path.join(tmp, 'no-folder', 'x.md'), '/etc/passwd', '/no/such/file']) {
      answers.push(await resolveInsideRoots([root], file, REFUSAL).catch((e: { code: string; message: string }) => [e.code, e.message.replace(file, '<path>')]));
    }
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify(['invalid_input', `${REFUSAL}: <path>`])]));
  });

  it('says not_found for a missing folder inside a root, and refuses relative paths', async () => {
    await expect(resolveInsideRoots([root], path.join(root, 'nope', 'RUNBOOK.md'), REFUSAL)).rejects.toMatchObject({ code: 'not_found' });
    await expect(resolveInsideRoots([root], 'runbooks/a/RUNBOOK.md', REFUSAL)).rejects.toThrow(/must be absolute/);
  });
});
