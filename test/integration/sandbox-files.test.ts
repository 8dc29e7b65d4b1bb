import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxError, type SandboxService } from '../../electron/engine/sandbox';
import { TEST_BASE_IMAGE, createTestSandboxService, removeTestContainers, requireDocker } from '../helpers/docker';

let docker: Docker;
let service: SandboxService;
let work: string;

beforeAll(async () => {
  docker = await requireDocker();
  service = createTestSandboxService(docker);
  work = await mkdtemp(path.join(tmpdir(), 'jetty-sandbox-files-'));
});

afterAll(async () => {
  await service?.close();
  if (docker) await removeTestContainers(docker);
  if (work) await rm(work, { recursive: true, force: true });
});

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('files in and out of a Docker sandbox', () => {
  it('copies assets into /app/assets and results out with size, sha256 and media type', async () => {
    const local = path.join(work, 'local-input.csv');
    await writeFile(local, 'city,temp\nOslo,3\n');
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'files-roundtrip' });
    const placed = await sandbox.putAssets([
      { name: 'data/input.csv', sourcePath: local },
      { name: 'notes.txt', content: 'inline note' },
    ]);
    expect(placed).toEqual(['/app/assets/data/input.csv', '/app/assets/notes.txt']);

    const run = await sandbox.exec(
      'mkdir -p results/charts && wc -l < assets/data/input.csv > results/lines.txt && ' +
        'cp assets/notes.txt results/charts/note.md && printf "{\\"ok\\":true}" > results/summary.json && ' +
        'head -c 300000 /dev/urandom > results/blob.bin && ln -s /etc/passwd results/escape',
    );
    expect(run.exitCode).toBe(0);

    const dest = path.join(work, 'artifacts-roundtrip');
    const { artifacts, skipped } = await sandbox.collectResults(dest);
    const byPath = Object.fromEntries(artifacts.map((artifact) => [artifact.path, artifact]));
    expect(Object.keys(byPath).sort()).toEqual(['blob.bin', 'charts/note.md', 'lines.txt', 'summary.json']);
    expect(byPath['lines.txt']).toEqual({ path: 'lines.txt', size: 2, sha256: sha256('2\n'), media_type: 'text/plain' });
    expect(byPath['summary.json'].media_type).toBe('application/json');
    expect(byPath['charts/note.md']).toMatchObject({ sha256: sha256('inline note'), media_type: 'text/markdown' });
    const blob = await readFile(path.join(dest, 'blob.bin'));
    expect(blob.length).toBe(300000);
    expect(byPath['blob.bin']).toMatchObject({ size: 300000, sha256: sha256(blob), media_type: 'application/octet-stream' });
    // The symlink pointing outside is not recreated locally.
    expect(skipped).toEqual([{ path: 'escape', reason: 'symlink not copied' }]);
    expect(await readdir(dest)).not.toContain('escape');
    await sandbox.destroy();
  });

  it('refuses asset names that would leave /app/assets', async () => {
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'files-traversal' });
    for (const name of ['../etc/evil', '/etc/evil', 'a/../../evil', '..', 'a\\..\\evil', '']) {
      await expect(sandbox.putAssets([{ name, content: 'x' }])).rejects.toThrow(SandboxError);
    }
    await expect(sandbox.putAssets([{ name: '../etc/evil', content: 'x' }])).rejects.toThrow('".." is not allowed');
    expect((await sandbox.exec('test -e /etc/evil || test -e /app/evil || echo clean')).stdout).toBe('clean\n');
    await sandbox.destroy();
  });

  it("stages the run's files into one archive with the next write, or before the next command; a file that went missing fails it without a host path", async () => {
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'files-staged' });
    const local = path.join(work, 'staged-input.txt');
    await writeFile(local, 'staged input');
    expect(sandbox.stageAssets([{ name: 'input.txt', sourcePath: local }])).toEqual(['/app/assets/input.txt']);
    await sandbox.writeFiles([{ path: '/tmp/jetty-agent/task.md', content: 'the task' }]);
    expect(await sandbox.filesSent()).toEqual({ ms: expect.any(Number), files: 1 });
    expect((await sandbox.exec('cat /app/assets/input.txt /tmp/jetty-agent/task.md')).stdout).toBe('staged inputthe task');
    await sandbox.destroy();

    const broken = await service.create({ image: TEST_BASE_IMAGE, runId: 'files-gone' });
    broken.stageAssets([{ name: 'gone.csv', sourcePath: path.join(work, 'no-such-dir', 'gone.csv') }]);
    const failure = await broken.exec('echo never').then(() => null, (error: Error) => error);
    expect(failure?.message).toBe('a file to copy into the sandbox could not be read (ENOENT): gone.csv');
    await expect(broken.filesSent()).rejects.toThrow('ENOENT');
    await broken.destroy();
  });

  it('runs four sandboxes at once, each seeing only its own files', async () => {
    const sandboxes = await Promise.all(
      [0, 1, 2, 3].map((i) => service.create({ image: TEST_BASE_IMAGE, runId: `files-parallel-${i}` })),
    );
    await Promise.all(sandboxes.map((sandbox, i) => sandbox.putAssets([{ name: `only-${i}.txt`, content: `input ${i}` }])));
    const runs = await Promise.all(
      sandboxes.map((sandbox) => sandbox.exec('ls /app/assets && cat /app/assets/* | tr a-z A-Z > /app/results/out.txt')),
    );
    runs.forEach((run, i) => expect(run.stdout).toBe(`only-${i}.txt\n`));
    const collected = await Promise.all(
      sandboxes.map((sandbox, i) => sandbox.collectResults(path.join(work, `parallel-${i}`))),
    );
    for (const [i, { artifacts }] of collected.entries()) {
      expect(artifacts.map((artifact) => artifact.path)).toEqual(['out.txt']);
      expect(await readFile(path.join(work, `parallel-${i}`, 'out.txt'), 'utf8')).toBe(`INPUT ${i}`);
    }
    expect(new Set(sandboxes.map((sandbox) => sandbox.id)).size).toBe(4);
    await Promise.all(sandboxes.map((sandbox) => sandbox.destroy()));
  });

  it('fails clearly when results go over the size cap', async () => {
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'files-cap' });
    await sandbox.exec('head -c 20000 /dev/zero > /app/results/big.bin');
    await expect(
      sandbox.collectResults(path.join(work, 'capped'), { maxBytes: 10_000, maxFiles: 10 }),
    ).rejects.toThrow('Results exceed the size limit of 10000 bytes');
    await sandbox.destroy();
  });
});
