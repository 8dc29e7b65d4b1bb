import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** findRunbooks(folder) in a child process, as `nobody` when we are root (root reads every folder). */
function findAsAnotherUser(folder: string): { found?: string[]; error?: string } {
  const script = `import(${JSON.stringify(path.join(import.meta.dirname, 'find-runbooks.ts'))}).then(({ findRunbooks }) =>
    findRunbooks(${JSON.stringify(folder)}).then((found) => console.log(JSON.stringify({ found })), (e) => console.log(JSON.stringify({ error: e.message }))))`;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', ...asNobody });
  return JSON.parse(child.stdout);
}

describe('finding runbooks under an open folder', () => {
  it("leaves out a folder below it that cannot be read (another user's private folder), and finds the rest", () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'jetty-find-'));
    chmodSync(root, 0o755);
    for (const dir of ['readable/demo', 'private/secret']) mkdirSync(path.join(root, dir), { recursive: true, mode: 0o755 });
    chmodSync(path.join(root, 'readable'), 0o755);
    writeFileSync(path.join(root, 'readable/demo/RUNBOOK.md'), '# Demo\n');
    writeFileSync(path.join(root, 'private/secret/RUNBOOK.md'), '# Secret\n');
    chmodSync(path.join(root, 'private'), 0o700);
    const result = findAsAnotherUser(root);
    expect(result).toEqual({ found: [path.join(root, 'readable/demo/RUNBOOK.md')] });
  });

  it('still fails for a root that cannot be read', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'jetty-find-'));
    chmodSync(root, 0o700);
    expect(findAsAnotherUser(root).error).toMatch(/EACCES/);
  });
});
