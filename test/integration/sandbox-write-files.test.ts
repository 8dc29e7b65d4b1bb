import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxError, type SandboxService } from '../../electron/engine/sandbox';
import { recordDockerCalls } from '../helpers/docker-calls';
import { TEST_BASE_IMAGE, createTestSandboxService, removeTestContainers, requireDocker } from '../helpers/docker';

let docker: Docker;
let service: SandboxService;
let calls: string[];

beforeAll(async () => {
  docker = await requireDocker();
  calls = recordDockerCalls(docker);
  service = createTestSandboxService(docker);
});

afterAll(async () => {
  await service?.close();
  if (docker) await removeTestContainers(docker);
});

describe('writing several files into a sandbox', () => {
  it('puts them in one archive: one Docker call, folders made, contents and modes as given', async () => {
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'write-files' });
    const files = [
      { path: '/tmp/jetty-agent/home/.cfg/config.toml', content: 'model = "gpt"\n' },
      { path: '/tmp/jetty-agent/task.md', content: 'Schreib den Bericht — ünïcödé\n', mode: 0o600 },
      { path: 'bin/tool.sh', content: '#!/bin/sh\necho tool ran\n', mode: 0o755 },
    ];
    const before = calls.length;
    await sandbox.writeFiles(files);
    expect(calls.slice(before)).toEqual([`PUT /containers/${sandbox.id}/archive`]);

    const [config, task, tool] = files.map((file) => (file.path.startsWith('/') ? file.path : `/app/${file.path}`));
    const listing = await sandbox.exec(`stat -c '%a %s %n' ${config} ${task} ${tool} && ${tool}`);
    expect(listing.stderr).toBe('');
    const size = (content: string) => Buffer.byteLength(content);
    expect(listing.stdout).toBe(
      [
        `644 ${size(files[0].content)} ${config}`,
        `600 ${size(files[1].content)} ${task}`,
        `755 ${size(files[2].content)} ${tool}`,
        'tool ran',
        '',
      ].join('\n'),
    );
    for (const [i, file] of [config, task].entries()) expect(await sandbox.readFile(file)).toBe(files[i].content);
    await sandbox.destroy();
  }, 60_000);

  it('refuses a path given twice, or "/", before calling Docker', async () => {
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'write-files-refused' });
    const before = calls.length;
    await expect(sandbox.writeFiles([{ path: 'a.txt', content: '1' }, { path: '/app/a.txt', content: '2' }])).rejects.toThrow(
      new SandboxError('/app/a.txt is written twice'),
    );
    await expect(sandbox.writeFiles([{ path: '/', content: 'x' }])).rejects.toThrow('Cannot write to "/"');
    expect(calls.slice(before)).toEqual([]);
    await sandbox.destroy();
  }, 60_000);
});
