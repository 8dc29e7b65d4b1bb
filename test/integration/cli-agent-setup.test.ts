// A CLI agent's set-up before its CLI starts: its files go into the container in one archive,
// and the check that the CLI is on the image's PATH is part of the CLI's own exec (no exec
// of its own). Real Docker, the test base image (which has none of the CLIs); a stand-in
// CLI is a script written onto its PATH.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_FILES_DIR, MissingCliError } from '../../electron/engine/agents/cli-process';
import { claudeCodeAgent } from '../../electron/engine/agents/claude-code';
import { codexAgent } from '../../electron/engine/agents/codex';
import { geminiCliAgent } from '../../electron/engine/agents/gemini-cli';
import type { AgentRunInput, AgentRuntime } from '../../electron/engine/agents/types';
import type { DockerSandbox, SandboxService } from '../../electron/engine/sandbox';
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

const RUNBOOK = '# Set-up test runbook\n\nWrite the report.';
const TASK = 'Execute the runbook with parameters: topic=set-up';

const input = (host: DockerSandbox): AgentRunInput => ({
  runbook: RUNBOOK,
  task: TASK,
  host,
  model: 'scripted',
  baseURL: 'http://127.0.0.1:9/v1',
  apiKey: 'run-token',
  signal: new AbortController().signal,
  emit: () => undefined,
});

/** The files each runtime writes, under AGENT_FILES_DIR. */
const AGENT_FILES: Record<string, string[]> = {
  codex: ['codex-home/config.toml', 'codex-home/AGENTS.md', 'task.md'],
  'gemini-cli': ['gemini-home/.gemini/settings.json', 'gemini-home/.gemini/GEMINI.md', 'task.md'],
  'claude-code': ['runbook.md', 'task.md'],
};

describe.each<AgentRuntime>([codexAgent, geminiCliAgent, claudeCodeAgent])('the $name runtime before its CLI starts', (agent) => {
  it('writes its files in one archive and checks for its CLI in the CLI exec: a missing CLI is a MissingCliError', async () => {
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: `set-up-${agent.name}` });
    const before = calls.length;
    const error = await agent.run(input(sandbox)).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(MissingCliError);
    expect((error as MissingCliError).cli).toBe(agent.cli);
    const made = calls.slice(before);
    expect(made.filter((call) => call.startsWith('PUT '))).toEqual([`PUT /containers/${sandbox.id}/archive`]);
    expect(made.filter((call) => call === `POST /containers/${sandbox.id}/exec`)).toHaveLength(1);

    const files = AGENT_FILES[agent.name];
    const written = await sandbox.exec(`cd ${AGENT_FILES_DIR} && find . -type f | sort`);
    expect(written.stdout.trim().split('\n')).toEqual(files.map((file) => `./${file}`).sort());
    expect(await sandbox.readFile(`${AGENT_FILES_DIR}/task.md`)).toBe(TASK);
    const instructions = files.find((file) => /AGENTS|GEMINI|runbook/.test(file))!;
    expect(await sandbox.readFile(`${AGENT_FILES_DIR}/${instructions}`)).toContain(RUNBOOK);
    await sandbox.destroy();
  }, 60_000);

  it('runs the CLI when it is on the PATH, and a CLI that itself exits 127 is its own error, not a missing CLI', async () => {
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: `set-up-present-${agent.name}` });
    await sandbox.writeFiles([{ path: `/usr/local/bin/${agent.cli}`, content: '#!/bin/sh\necho "env: node: No such file or directory" >&2\nexit 127\n', mode: 0o755 }]);
    const result = await agent.run(input(sandbox));
    expect(result.status).toBe('error');
    expect(result.error).toContain('env: node: No such file or directory');
    await sandbox.destroy();
  }, 60_000);
});
