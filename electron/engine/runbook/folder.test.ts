import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FOLDER_BYTES, MAX_FOLDER_FILES, runbookFolder } from './folder';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function folderWith(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-folder-'));
  const root = path.join(dir, 'acme', 'pelican');
  for (const [name, content] of Object.entries({ 'RUNBOOK.md': '# Pelican\n', ...files })) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

describe("a runbook's folder", () => {
  it('holds the files beside RUNBOOK.md, sorted, with modes, leaving out .jettyignore matches and dependency folders', async () => {
    const root = folderWith({
      'gen.py': 'print("hi")\n',
      'manifest.json': '{}',
      'examples/one.json': '{}',
      'refs/a.png': 'PNG',
      'data/big.csv': 'x',
      'node_modules/left/index.js': '',
      '.git/HEAD': 'ref',
      '.jettyignore': 'data/\n*.log\n',
      'debug.log': 'noise',
    });
    chmodSync(path.join(root, 'gen.py'), 0o755);
    const folder = await runbookFolder(path.join(root, 'RUNBOOK.md'));
    expect(folder.files.map((f) => f.path)).toEqual(['examples/one.json', 'gen.py', 'manifest.json', 'refs/a.png', 'RUNBOOK.md']);
    expect(folder.files.find((f) => f.path === 'gen.py')?.mode).toBe(0o755);
    expect(folder.files.find((f) => f.path === 'manifest.json')?.mode).toBe(0o644);
    expect(folder.bytes).toBe(folder.files.reduce((n, f) => n + f.size, 0));
  });

  it('follows a link to a file inside the folder and leaves out one that points out of it', async () => {
    const root = folderWith({ 'real.txt': 'inside' });
    writeFileSync(path.join(dir, 'outside.txt'), 'the host');
    symlinkSync(path.join(root, 'real.txt'), path.join(root, 'alias.txt'));
    symlinkSync(path.join(dir, 'outside.txt'), path.join(root, 'escape.txt'));
    symlinkSync('/etc', path.join(root, 'etc'));
    const folder = await runbookFolder(path.join(root, 'RUNBOOK.md'));
    expect(folder.files.map((f) => [f.path, f.sourcePath])).toEqual([
      ['alias.txt', path.join(root, 'real.txt')],
      ['real.txt', path.join(root, 'real.txt')],
      ['RUNBOOK.md', path.join(root, 'RUNBOOK.md')],
    ]);
    expect(folder.skipped).toEqual([
      { path: 'escape.txt', reason: 'a link out of the folder (or to nothing)' },
      { path: 'etc', reason: 'a link out of the folder (or to nothing)' },
    ]);
  });

  it(`refuses more than ${MAX_FOLDER_FILES} files and more than ${MAX_FOLDER_BYTES / 1024 / 1024} MiB, saying to use .jettyignore`, async () => {
    const many = folderWith(Object.fromEntries(Array.from({ length: MAX_FOLDER_FILES }, (_, i) => [`f/${i}.txt`, '']))); 
    await expect(runbookFolder(path.join(many, 'RUNBOOK.md'))).rejects.toThrow(/more than 2000 files: list what its runs do not need in \.jettyignore/);
    rmSync(dir, { recursive: true, force: true });
    const big = folderWith({ 'weights.bin': '' });
    truncateSync(path.join(big, 'weights.bin'), MAX_FOLDER_BYTES + 1);
    await expect(runbookFolder(path.join(big, 'RUNBOOK.md'))).rejects.toThrow(/more than 64 MiB \(at weights\.bin\)/);
  });
});
