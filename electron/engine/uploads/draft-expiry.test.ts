import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRAFT_MAX_AGE_MS, expireDrafts, removeStaleDrafts, staleUploads, sweepDrafts } from './draft-expiry';
import { draftUploads, type DraftUploads } from './draft-uploads';

const DAY = 24 * 60 * 60 * 1000;

describe('draft uploads expire after a day; uploads a run kept stay', () => {
  let dataDir: string;
  let uploads: DraftUploads;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-draft-expiry-'));
    uploads = draftUploads(dataDir);
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  /** A new upload whose folder was made (or last taken) `ageMs` ago. */
  async function uploadAged(name: string, ageMs: number): Promise<string> {
    const { id } = await uploads.save(name, Readable.from([Buffer.from(`${name} bytes`)]));
    const then = new Date(Date.now() - ageMs);
    await utimes(path.join(dataDir, 'uploads', id), then, then);
    return id;
  }
  const kept = (id: string) => existsSync(path.join(dataDir, 'uploads', id));
  const cutoff = () => Date.now() - DRAFT_MAX_AGE_MS;

  it('removes drafts older than a day and keeps fresh drafts and uploads a run refers to, however old', async () => {
    const old = await uploadAged('old.txt', 2 * DAY);
    const fresh = await uploadAged('fresh.txt', DAY / 2);
    const used = await uploadAged('used.txt', 30 * DAY);
    const info = (await uploads.resolve(used)).upload;
    await uploads.remember('abcd1234', { runbookPath: '/runbooks/acme/hello/RUNBOOK.md', files: [info] });

    expect(await sweepDrafts(uploads)).toEqual([old]);
    expect([kept(old), kept(fresh), kept(used)]).toEqual([false, true, true]);
    expect(await uploads.recall('abcd1234')).toEqual({ runbookPath: '/runbooks/acme/hello/RUNBOOK.md', files: [info] });
    expect(await readFile(path.join(dataDir, 'uploads', used, 'used.txt'), 'utf8')).toBe('used.txt bytes');
  });

  it('sweeps when started and again at each interval', async () => {
    const old = await uploadAged('old.txt', 2 * DAY);
    const expiry = expireDrafts(uploads, 50);
    try {
      await expect.poll(() => kept(old), { timeout: 5_000, interval: 10 }).toBe(false);
      const later = await uploadAged('later.txt', 2 * DAY);
      await expect.poll(() => kept(later), { timeout: 5_000, interval: 10 }).toBe(false);
    } finally {
      await expiry.close();
    }
  });

  it('lists at most the given number of candidates per sweep, and nothing without an uploads folder', async () => {
    expect(await staleUploads(uploads, cutoff())).toEqual([]);
    const ids = [await uploadAged('a.txt', 2 * DAY), await uploadAged('b.txt', 2 * DAY), await uploadAged('c.txt', 2 * DAY)];
    const listed = await staleUploads(uploads, cutoff(), 2);
    expect(listed).toHaveLength(2);
    expect(ids).toEqual(expect.arrayContaining(listed));
  });

  it('keeps a draft a starting run takes between the listing and the removal', async () => {
    const old = await uploadAged('old.txt', 2 * DAY);
    const at = cutoff();
    const listed = await staleUploads(uploads, at);
    expect(listed).toEqual([old]);
    const taken = await uploads.take(old); // run.start, before its run has a record
    expect(await removeStaleDrafts(uploads, listed, at)).toEqual([]);
    expect(await readFile(taken.path, 'utf8')).toBe('old.txt bytes');
  });

  it('keeps a draft a run records after the listing', async () => {
    const old = await uploadAged('old.txt', 2 * DAY);
    const at = cutoff();
    const listed = await staleUploads(uploads, at);
    await uploads.remember('feed0001', { runbookPath: null, files: [(await uploads.resolve(old)).upload] });
    expect(await removeStaleDrafts(uploads, listed, at)).toEqual([]);
    expect(kept(old)).toBe(true);
  });

  it('a take and a removal at once: the one asked first wins, and a taken draft is never removed', async () => {
    const first = await uploadAged('first.txt', 2 * DAY);
    const [taken, removed] = await Promise.allSettled([uploads.take(first), uploads.removeDraft(first, cutoff())]);
    expect(taken.status).toBe('fulfilled');
    expect(removed).toEqual({ status: 'fulfilled', value: false });
    expect(kept(first)).toBe(true);

    const second = await uploadAged('second.txt', 2 * DAY);
    const [removing, taking] = await Promise.allSettled([uploads.removeDraft(second, cutoff()), uploads.take(second)]);
    expect(removing).toEqual({ status: 'fulfilled', value: true });
    expect(taking.status === 'rejected' && (taking.reason as Error).message).toContain(`no upload ${second} (uploads no run used are removed after a day`);
    expect(kept(second)).toBe(false);
  });
});
