import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeRemote, json, remoteTrajectory, sha256, type RemoteRoute } from '../helpers/fake-remote';
import { streamHuge } from '../helpers/hostile-http';

/** What a client may take of one answer past its bound: what socket buffers hold on loopback. */
const SLACK = 8 * 1024 * 1024;
const MiB = 1024 * 1024;

type Remote = Awaited<ReturnType<typeof fakeRemote>>;

/** A list of `ids` in one page. */
const listOf = (ids: string[], more = false): RemoteRoute => (_req, res) =>
  json(res, 200, { trajectories: ids.map((id) => ({ ...remoteTrajectory(id), events: undefined })), total: ids.length, page: 1, limit: 100, has_more: more });

/** Fails after `ms` (so a hang is a failure, not a stuck test). */
const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms))]);

describe('pull from a remote that lies, floods or stalls', () => {
  let remote: Remote | null = null;
  afterEach(async () => {
    await remote?.close();
    remote = null;
  });
  const sentTo = (prefix: string) => remote!.server.requests.flatMap((r, i) => (r.path.startsWith(`/api/v1${prefix}`) ? [remote!.server.sent[i]] : []));

  it('a 64 MB list answer is refused after the 16 MiB bound, not read whole', async () => {
    remote = await fakeRemote({
      '/db/trajectories/': async (_req, res, _url, count) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"trajectories": [');
        await streamHuge(res, 64 * MiB, count, ' ');
      },
    });
    const failure = await remote.cloud.pull({ collection: 'c', task: 't' }).catch((e: Error) => e);
    expect((failure as Error).message).toMatch(/larger than 16777216 bytes/);
    for (const bytes of sentTo('/db/trajectories/')) expect(bytes).toBeLessThan(16 * MiB + SLACK);
  }, 60_000);

  it('a 64 MB error body is read only up to 64 KiB; the error carries the remote’s status', async () => {
    remote = await fakeRemote({
      '/db/trajectories/': async (_req, res, _url, count) => {
        res.writeHead(422, { 'content-type': 'text/plain' });
        await streamHuge(res, 64 * MiB, count, 'e');
      },
    });
    const failure = await remote.cloud.pull({ collection: 'c', task: 't' }).catch((e: Error) => e);
    expect((failure as Error).message).toMatch(/422/);
    for (const bytes of sentTo('/db/trajectories/')) expect(bytes).toBeLessThan(64 * 1024 + SLACK);
  }, 60_000);

  it('an artifact declared 5 bytes but served as 64 MB: cut off, the trajectory not stored, nothing kept', async () => {
    remote = await fakeRemote({
      '/db/trajectories/': listOf(['aaaa0001']),
      '/db/trajectory/': (_req, res) => json(res, 200, remoteTrajectory('aaaa0001', { artifacts: [{ path: 'out.txt', size: 5, sha256: sha256('hello') }] })),
      '/file/': async (_req, res, _url, count) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        await streamHuge(res, 64 * MiB, count);
      },
    });
    const result = await remote.cloud.pull({ collection: 'c', task: 't' });
    expect(result.added).toEqual([]);
    expect(result.failed).toEqual([{ remote_id: 'aaaa0001', error: expect.stringMatching(/more than the 5 bytes/) }]);
    expect(remote.store.listTrajectories({ limit: 10 }).total).toBe(0);
    for (const bytes of sentTo('/file/')) expect(bytes).toBeLessThan(SLACK);
    expect(existsSync(path.join(remote.dataDir, 'artifacts'))).toBe(false);
    expect(await readdir(path.join(remote.dataDir, 'pull-staging')).catch(() => [])).toEqual([]);
  }, 60_000);

  it('an artifact whose bytes do not match its sha256: the trajectory is not stored', async () => {
    remote = await fakeRemote({
      '/db/trajectories/': listOf(['aaaa0002']),
      '/db/trajectory/': (_req, res) => json(res, 200, remoteTrajectory('aaaa0002', { artifacts: [{ path: 'out.txt', size: 5, sha256: sha256('hello') }] })),
      '/file/': (_req, res) => res.end('HELLO'),
    });
    const result = await remote.cloud.pull({ collection: 'c', task: 't' });
    expect(result.failed).toEqual([{ remote_id: 'aaaa0002', error: expect.stringMatching(/sha256 differs/) }]);
    expect(remote.store.listTrajectories({ limit: 10 }).total).toBe(0);
  });

  it('colliding artifact paths: not stored (never stored without its files), and a re-pull says so again instead of "unchanged"', async () => {
    remote = await fakeRemote({
      '/db/trajectories/': listOf(['aaaa0003']),
      '/db/trajectory/': (_req, res) =>
        json(res, 200, remoteTrajectory('aaaa0003', { artifacts: [{ path: 'a', size: 1, sha256: sha256('x') }, { path: 'a/b', size: 1, sha256: sha256('x') }] })),
      '/file/': (_req, res) => res.end('x'),
    });
    for (let i = 0; i < 2; i++) {
      const result = await remote.cloud.pull({ collection: 'c', task: 't' });
      expect(result).toMatchObject({ added: [], unchanged: 0, failed: [{ remote_id: 'aaaa0003', error: expect.stringMatching(/collide \('a' is a file and also the folder of 'a\/b'\)/) }] });
    }
    expect(remote.store.listTrajectories({ limit: 10 }).total).toBe(0);
  });

  it('a slow-loris remote (a byte now and then, never the end) is cut off by the pull’s deadline', async () => {
    remote = await fakeRemote(
      {
        '/db/trajectories/': listOf(['aaaa0004']),
        '/db/trajectory/': async (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          while (!res.destroyed) {
            res.write(' ');
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        },
      },
      { limits: { idleMs: 1000 } },
    );
    const started = Date.now();
    const failure = await within(20_000, remote.cloud.pull({ collection: 'c', task: 't', deadlineMs: 2000 }).catch((e: Error) => e));
    expect((failure as Error).message).toMatch(/stopped after its deadline of 2 s.*pull again/);
    expect(Date.now() - started).toBeLessThan(6000);
  }, 30_000);

  it('a remote repeating the same page with has_more: listing stops at the first page with nothing new', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => (0xbbbb0000 + i).toString(16));
    remote = await fakeRemote({
      '/db/trajectories/': (req, res) => (remote!.server.requests.length > 400 ? res.destroy() : listOf(ids, true)(req, res, new URL('http://x'), () => undefined)),
      '/db/trajectory/': (req, res) => json(res, 200, remoteTrajectory(req.url!.split('?')[0].split('/').pop()!)),
    });
    const result = await within(60_000, remote.cloud.pull({ collection: 'c', task: 't' }).catch((e: Error) => e));
    expect(remote.server.requests.length).toBeLessThan(110);
    expect(result).toMatchObject({ added: expect.any(Array) });
    expect((result as { added: string[] }).added).toHaveLength(100);
  }, 90_000);

  it('events come in pages: all 2,500 are stored; a remote that says "more" but repeats itself is refused, not looped on', async () => {
    const total = 2500;
    remote = await fakeRemote({
      '/db/trajectories/': listOf(['aaaa0005', 'aaaa0006']),
      '/db/trajectory/c/t/aaaa0005': (_req, res, url) => {
        const after = Number(url.searchParams.get('events_after') ?? 0);
        const limit = Math.min(Number(url.searchParams.get('events_limit') ?? 1000), 1000);
        const count = Math.max(0, Math.min(limit, total - after));
        json(res, 200, { ...remoteTrajectory('aaaa0005', { events: count, from: after + 1 }), events_has_more: after + count < total });
      },
      '/db/trajectory/c/t/aaaa0006': (_req, res) => json(res, 200, { ...remoteTrajectory('aaaa0006', { events: 10 }), events_has_more: true }),
    });
    const result = await remote.cloud.pull({ collection: 'c', task: 't' });
    expect(result.added).toHaveLength(1);
    expect(remote.store.countEvents(result.added[0])).toBe(total);
    expect(remote.store.getTrajectory(result.added[0])).toMatchObject({ status: 'completed', error: null });
    expect(result.failed).toEqual([{ remote_id: 'aaaa0006', error: expect.stringMatching(/more events follow seq 10 but sends none after it/) }]);
    expect(remote.server.requests.filter((r) => r.path.includes('aaaa0006')).length).toBe(2);
  });
});
