import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSandboxesDir, type ImageProgress } from '../../electron/engine/sandbox';
import {
  TEST_BASE_IMAGE,
  TEST_IMAGE_NAMESPACE,
  createTestSandboxService,
  removeTestContainers,
  requireDocker,
} from '../helpers/docker';

let docker: Docker;
let work: string;
const builtImages: string[] = [];

beforeAll(async () => {
  docker = await requireDocker();
  work = await mkdtemp(path.join(tmpdir(), 'jetty-sandbox-images-'));
});

afterAll(async () => {
  if (docker) {
    await removeTestContainers(docker);
    for (const image of builtImages) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
  }
  if (work) await rm(work, { recursive: true, force: true });
});

describe('sandbox images', () => {
  it('builds a missing snapshot from its Dockerfile, reporting build progress, then finds it present', async () => {
    const sandboxesDir = path.join(work, 'sandboxes');
    await mkdir(path.join(sandboxesDir, 'tiny'), { recursive: true });
    await writeFile(
      path.join(sandboxesDir, 'tiny', 'Dockerfile'),
      'ARG BASE=unused\nFROM ${BASE}\nRUN echo built-by-test > /built.txt\n',
    );
    const service = createTestSandboxService(docker, { sandboxesDir });
    const expected = `${TEST_IMAGE_NAMESPACE}/tiny:latest`;
    builtImages.push(expected);
    expect(service.resolveImage({ snapshot: 'tiny' })).toEqual({ name: expected, snapshot: 'tiny' });

    const progress: ImageProgress[] = [];
    const built = await service.ensureImage({ snapshot: 'tiny' }, { onProgress: (event) => progress.push(event) });
    expect(built).toEqual({ name: expected, id: expect.stringMatching(/^sha256:/), action: 'built' });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((event) => event.phase === 'build' && event.message.length > 0)).toBe(true);
    const steps = progress.filter((event) => event.total !== undefined);
    expect(steps.map((event) => `${event.current}/${event.total}`)).toEqual(['1/3', '2/3', '3/3']);

    expect(await service.ensureImage({ snapshot: 'tiny' })).toEqual({ name: expected, id: built.id, action: 'present' });
    const sandbox = await service.create({ image: built.name, runId: 'image-tiny' });
    expect((await sandbox.exec('cat /built.txt')).stdout).toBe('built-by-test\n');
    await sandbox.destroy();
  });

  it('builds the real python312-uv Dockerfile offline on the test base (SKIP_UV, SKIP_AGENT_CLIS)', async () => {
    const service = createTestSandboxService(docker);
    const name = `${TEST_IMAGE_NAMESPACE}/python312-uv:latest`;
    builtImages.push(name);
    await docker.getImage(name).remove({ force: true }).catch(() => undefined);
    const progress: ImageProgress[] = [];
    const built = await service.ensureImage({ snapshot: 'python312-uv' }, { onProgress: (event) => progress.push(event) });
    expect(built).toEqual({ name, id: expect.stringMatching(/^sha256:/), action: 'built' });
    // Layers may come from the build cache, but every step is reported.
    expect(progress.filter((event) => event.total !== undefined).map((event) => event.current)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const sandbox = await service.create({ image: name, runId: 'image-python' });
    const check = await sandbox.exec(
      'test -d /app/results && test -d /app/assets && jq --version && python3 -c "print(6*7)" && command -v uv || echo no-uv',
    );
    expect(check).toMatchObject({ exitCode: 0 });
    expect(check.stdout).toMatch(/^jq-.*\n42\nno-uv\n$/);
    await sandbox.destroy();
  });

  it('explains an unknown snapshot and a custom image that cannot be pulled', async () => {
    const service = createTestSandboxService(docker);
    await expect(service.ensureImage({ snapshot: 'no-such-snapshot' })).rejects.toThrow(
      /Unknown snapshot "no-such-snapshot": known snapshots are .*python312-uv/,
    );
    await expect(service.ensureImage({ image: 'localhost:9/jetty-missing:latest' })).rejects.toThrow(
      'Could not pull image "localhost:9/jetty-missing:latest"',
    );
    expect(() => service.resolveImage({ snapshot: '../evil' })).toThrow('Invalid snapshot name');
  });

  it('uses a custom image as is, and defaults to python312-uv', async () => {
    const service = createTestSandboxService(docker);
    expect(service.resolveImage({ image: TEST_BASE_IMAGE, snapshot: 'python312-uv' })).toEqual({
      name: TEST_BASE_IMAGE,
      snapshot: null,
    });
    expect(await service.ensureImage({ image: TEST_BASE_IMAGE })).toEqual({ name: TEST_BASE_IMAGE, id: (await docker.getImage(TEST_BASE_IMAGE).inspect()).Id, action: 'present' });
    expect(service.resolveImage({}).snapshot).toBe('python312-uv');
    expect(findSandboxesDir()).toBe(path.resolve('resources/sandboxes'));
  });
});
