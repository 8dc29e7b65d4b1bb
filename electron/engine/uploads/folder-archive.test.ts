import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FOLDER_FILES } from '../runbook/folder';
import { FolderArchiveError, MAX_FOLDER_ARCHIVE_BYTES, packFolder, unpackFolder } from './folder-archive';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'folder-archive-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tar with exactly these headers (and bodies), as a hostile sender would make it. */
function rawTar(entries: { header: Parameters<tar.Pack['entry']>[0]; body?: string }[]): Readable {
  const pack = tar.pack();
  for (const { header, body } of entries) {
    if (body === undefined) pack.entry(header);
    else pack.entry(header, body);
  }
  pack.finalize();
  return Readable.from(pack);
}

const dest = () => path.join(dir, 'out');

describe('folder archives', () => {
  it('carries files with their paths, bytes and executable bit', async () => {
    const archive = packFolder([
      { path: 'RUNBOOK.md', content: Buffer.from('# R\n'), mode: 0o644 },
      { path: 'hello.sh', content: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o775 },
      { path: 'refs/deep/data.bin', content: Buffer.from([0, 1, 2, 255]), mode: 0o600 },
    ]);
    const unpacked = await unpackFolder(archive, dest());
    expect(unpacked.files.map((f) => [f.path, f.size, f.mode.toString(8)])).toEqual([
      ['hello.sh', 18, '755'],
      ['refs/deep/data.bin', 4, '644'],
      ['RUNBOOK.md', 4, '644'],
    ]);
    expect(unpacked.bytes).toBe(26);
    expect(await readFile(path.join(dest(), 'refs/deep/data.bin'))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect((await stat(path.join(dest(), 'hello.sh'))).mode & 0o777).toBe(0o755);
  });

  it.each([
    ['../escaped.txt', /"\.\." segment/],
    ['a/../../escaped.txt', /"\.\." segment/],
    ['/etc/escaped.txt', /absolute name/],
    ['C:/escaped.txt', /absolute name/],
    ['a\\..\\escaped.txt', /backslash/],
    ['a//b', /empty/],
    ['x'.repeat(300), /segment longer/],
  ])('refuses the name %s and leaves nothing behind', async (name, reason) => {
    await expect(unpackFolder(rawTar([{ header: { name: 'ok.txt' }, body: 'ok' }, { header: { name }, body: 'x' }]), dest())).rejects.toThrow(reason);
    expect(existsSync(dest())).toBe(false);
    expect(existsSync(path.join(dir, 'escaped.txt'))).toBe(false);
  });

  it('refuses links, devices and a name given twice', async () => {
    await expect(unpackFolder(rawTar([{ header: { name: 'link', type: 'symlink', linkname: '/etc/passwd' } }]), dest())).rejects.toThrow(/link, a symlink: only files and folders/);
    await expect(unpackFolder(rawTar([{ header: { name: 'hard', type: 'link', linkname: '/etc/passwd' } }]), dest())).rejects.toThrow(FolderArchiveError);
    await expect(unpackFolder(rawTar([{ header: { name: 'dev', type: 'character-device' } }]), dest())).rejects.toThrow(FolderArchiveError);
    await expect(unpackFolder(rawTar([{ header: { name: 'a.txt' }, body: '1' }, { header: { name: 'a.txt' }, body: '2' }]), dest())).rejects.toThrow(/twice/);
    await expect(unpackFolder(rawTar([{ header: { name: 'a' }, body: '1' }, { header: { name: 'a/b' }, body: '2' }]), dest())).rejects.toThrow(/inside a file/);
    expect(existsSync(dest())).toBe(false);
  });

  it('refuses more files than a folder may hold, and an archive larger than a folder may be', async () => {
    const many = Array.from({ length: MAX_FOLDER_FILES + 1 }, (_, i) => ({ header: { name: `f${i}` }, body: '' }));
    await expect(unpackFolder(rawTar(many), dest())).rejects.toThrow(`more than ${MAX_FOLDER_FILES} files`);
    const endless = Readable.from((function* () {
      const block = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < MAX_FOLDER_ARCHIVE_BYTES / block.length + 2; i++) yield block;
    })());
    await expect(unpackFolder(endless, dest())).rejects.toThrow(FolderArchiveError);
    expect(existsSync(dest())).toBe(false);
  });

  it('refuses bytes that are not a tar', async () => {
    await expect(unpackFolder(Readable.from([Buffer.from('not a tar at all'.repeat(64))]), dest())).rejects.toThrow(FolderArchiveError);
    expect(existsSync(dest())).toBe(false);
  });
});
