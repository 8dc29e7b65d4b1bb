import { mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveStepFile, sniffMediaType, storedFile } from './step-files';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'jetty-step-files-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('step output files', () => {
  it('names media by their first bytes', () => {
    expect(sniffMediaType(PNG)).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffMediaType(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1')]))).toBe('video/mp4');
    expect(sniffMediaType(Buffer.from('hello'))).toBeNull();
  });

  it('stores a file at <collection>/outputs/<workflow>/<step>/<name>.<ext>, the extension from the type or the bytes, odd characters replaced', async () => {
    const file = await saveStepFile(root, { collection: 'wf', workflowId: 'ab12cd34', step: 'draw image' }, 'image-0', PNG, null);
    expect(file).toEqual({ path: 'wf/outputs/ab12cd34/draw_image/image-0.png', extension: 'png', content_type: 'image/png', size: PNG.length });
    expect((await readFile(path.join(root, file.path))).equals(PNG)).toBe(true);
    const video = await saveStepFile(root, { collection: '..', workflowId: 'w', step: 's' }, 'video-0', Buffer.from('x'), 'video/mp4; codecs=avc1');
    expect(video).toMatchObject({ path: '_/outputs/w/s/video-0.mp4', content_type: 'video/mp4' });
  });

  it('finds a stored file only by a relative path that stays inside the root', async () => {
    await writeFile(path.join(root, 'in.png'), PNG);
    const outside = await mkdtemp(path.join(os.tmpdir(), 'jetty-step-files-out-'));
    await writeFile(path.join(outside, 'secret.txt'), 'no');
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    expect(await storedFile(root, 'in.png')).toBe(path.join(await realpath(root), 'in.png'));
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'link.txt', 'missing.png', 'a cat on a mat']) expect(await storedFile(root, bad)).toBeNull();
    await rm(outside, { recursive: true, force: true });
  });
});
