import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTree, packTar, readFirstFile, safeRelativePath } from './archive';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'jetty-archive-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Entry = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; content?: string; linkname?: string };

/** A tar shaped like `docker getArchive /app/results`, possibly hostile. */
function archiveOf(entries: Entry[]): Readable {
  const pack = tar.pack();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    if (type === 'file') pack.entry({ name: entry.name }, entry.content ?? '');
    else pack.entry({ name: entry.name, type, linkname: entry.linkname });
  }
  pack.finalize();
  return Readable.from(pack);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('safeRelativePath', () => {
  it('normalises harmless names and refuses ones that leave the folder', () => {
    expect(safeRelativePath('a//b/./c/')).toBe('a/b/c');
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a/..', 'a\\b', 'a\0b']) {
      expect(() => safeRelativePath(bad, 'asset name')).toThrow(/Invalid asset name/);
    }
  });

  it('never returns a path outside the folder, for any name', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('..', '.', 'a', '', 'b c', '~'), { maxLength: 6 }), (segments) => {
        let safe: string;
        try {
          safe = safeRelativePath(segments.join('/'));
        } catch {
          return;
        }
        expect(path.posix.resolve('/root', safe).startsWith('/root/')).toBe(true);
      }),
    );
  });
});

describe('extractTree', () => {
  it('extracts files with sha256 and skips links and names that would escape', async () => {
    const dest = path.join(work, 'hostile');
    const tree = await extractTree(
      archiveOf([
        { name: 'results/', type: 'directory' },
        { name: 'results/ok.md', content: '# ok' },
        { name: 'results/sub/data.csv', content: 'a,b' },
        { name: 'results/../evil.txt', content: 'evil' },
        { name: 'results//etc/abs.txt', content: 'abs' },
        { name: 'results/link', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'results/hard', type: 'link', linkname: 'results/ok.md' },
      ]),
      dest,
      { maxBytes: 1000, maxFiles: 10 },
    );
    expect(tree.artifacts).toEqual([
      { path: 'ok.md', size: 4, sha256: sha256('# ok'), media_type: 'text/markdown' },
      { path: 'sub/data.csv', size: 3, sha256: sha256('a,b'), media_type: 'text/csv' },
    ]);
    expect(tree.skipped).toEqual([
      { path: '../evil.txt', reason: 'unsafe path' },
      { path: '/etc/abs.txt', reason: 'unsafe path' },
      { path: 'link', reason: 'symlink not copied' },
      { path: 'hard', reason: 'link not copied' },
    ]);
    expect(await filesUnder(dest)).toEqual(['ok.md', path.join('sub', 'data.csv')]);
    expect(await readdir(work)).not.toContain('evil.txt');
  });

  it('stops at the file-count cap', async () => {
    const entries = [0, 1, 2].map((i) => ({ name: `results/f${i}.txt`, content: 'x' }));
    await expect(extractTree(archiveOf(entries), path.join(work, 'count'), { maxBytes: 100, maxFiles: 2 })).rejects.toThrow(
      'Too many result files: more than 2',
    );
  });
});

describe('packTar and readFirstFile', () => {
  it('round-trips content and enforces the read cap', async () => {
    const packed = () => packTar([{ type: 'file', path: 'a.txt', content: 'hello' }]);
    expect((await readFirstFile(packed(), 100, '/app/a.txt')).toString()).toBe('hello');
    await expect(readFirstFile(packed(), 3, '/app/a.txt')).rejects.toThrow('/app/a.txt is 5 bytes, over the 3-byte read limit');
  });

  it('streams a local file into the archive', async () => {
    const dest = path.join(work, 'from-file');
    const source = path.join(work, 'source.txt');
    await writeFile(source, 'from disk');
    const tree = await extractTree(packTar([{ type: 'file', path: 'results/copy.txt', sourcePath: source }]), dest, {
      maxBytes: 100,
      maxFiles: 5,
    });
    expect(tree.artifacts.map((a) => a.path)).toEqual(['copy.txt']);
    expect(await readFile(path.join(dest, 'copy.txt'), 'utf8')).toBe('from disk');
  });
});
