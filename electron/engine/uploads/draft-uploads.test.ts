import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftUploads } from './draft-uploads';

describe('draftUploads.adopt', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-draft-uploads-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('makes a file the engine received an upload of the same bytes, which outlives the received file', async () => {
    const received = path.join(dataDir, 'files', 'acme', 'run-inputs', 'x', 'notes.txt');
    await mkdir(path.dirname(received), { recursive: true });
    await writeFile(received, 'received bytes');
    const uploads = draftUploads(dataDir);
    const upload = await uploads.adopt(received);
    expect(upload).toMatchObject({ name: 'notes.txt', size: 14 });
    await rm(received);
    expect(await readFile((await uploads.resolve(upload.id)).path, 'utf8')).toBe('received bytes');
  });
});
