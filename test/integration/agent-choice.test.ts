// Which agent a run gets: a runbook agent Jetty Desktop does not have fails the run before
// any sandbox starts, unless the fall-back to the built-in agent is on; a model the request
// names decides the agent of a runbook that names none.
import { messageOf } from '../helpers/events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunPreparationError } from '../../electron/engine/runs/prepare';
import { createRunner } from '../../electron/engine/runs/runner';
import type { SandboxService } from '../../electron/engine/sandbox';
import { openStore, type Store } from '../../electron/engine/store';
import { TEST_BASE_IMAGE, createTestSandboxService, removeTestContainers, requireDocker } from '../helpers/docker';
import { startScriptedModelServer } from '../helpers/scripted-model-server';
import { HELLO_REPORT_SUMMARY, NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const HELLO = path.resolve(__dirname, '../../resources/examples/demo/hello-report/RUNBOOK.md');

describe('choosing the agent of a run', () => {
  let docker: Docker;
  let dir: string;
  let store: Store;
  let sandboxes: SandboxService;
  /** The hello-report example with its `agent:` line replaced. */
  const runbookWith = async (name: string, agentLine: string) => {
    const file = path.join(dir, 'runbooks/demo', name, 'RUNBOOK.md');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, (await readFile(HELLO, 'utf8')).replace('agent: builtin\n', agentLine));
    return file;
  };
  const runner = (env: Record<string, string> = {}) => createRunner({ store, sandboxes, artifactsRoot: path.join(dir, 'artifacts'), env });

  beforeAll(async () => {
    docker = await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-agent-choice-'));
    store = openStore(path.join(dir, 'jetty.db'));
    sandboxes = createTestSandboxService(docker);
  });

  afterAll(async () => {
    await sandboxes?.close();
    if (docker) await removeTestContainers(docker);
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a runbook agent Jetty Desktop lacks, naming the ones it has and the setting', async () => {
    const runbook = await runbookWith('opencode-report', 'agent: opencode\n');
    const error = await runner()
      .start({ runbookPath: runbook, image: TEST_BASE_IMAGE })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunPreparationError);
    expect((error as RunPreparationError).problems).toEqual([
      "agent 'opencode' is not available in Jetty Desktop (it has builtin, claude-code, codex, gemini-cli): name one of those in the runbook, or set JETTY_AGENT_FALLBACK=builtin to run it with the built-in agent",
    ]);
    expect(store.listTrajectories({}).total).toBe(0);
  });

  it('runs it with the built-in agent when JETTY_AGENT_FALLBACK=builtin, saying so', async () => {
    const runbook = await runbookWith('opencode-report', 'agent: opencode\n');
    const server = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    try {
      const env = { JETTY_AGENT_FALLBACK: 'builtin', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test' };
      const t = await (await runner(env).start({ runbookPath: runbook, image: TEST_BASE_IMAGE, model: 'scripted' })).done;
      expect(t.status, t.error ?? '').toBe('completed');
      expect(t.agent).toBe('builtin');
      expect(t.steps.agent.outputs).toMatchObject({ summary: HELLO_REPORT_SUMMARY });
      const warnings = store.listEvents(t.id, { limit: 1000 }).filter((e) => e.level === 'warning').map(messageOf);
      const note = "agent 'opencode' is not available in Jetty Desktop (it has builtin, claude-code, codex, gemini-cli); using the built-in agent (JETTY_AGENT_FALLBACK=builtin)";
      expect(warnings.filter((w) => w.includes(note)), warnings.join('\n')).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('takes the agent of a runbook that names none from the model the request names', async () => {
    const runbook = await runbookWith('no-agent-report', '');
    // A key for the model's provider, or the run is refused before any sandbox (run-key-check.test.ts).
    const t = await (await runner({ GEMINI_API_KEY: 'gemini-test' }).start({ runbookPath: runbook, image: TEST_BASE_IMAGE, model: 'gemini-3.1-pro-preview' })).done;
    expect(t.agent).toBe('gemini-cli');
    expect(t.model).toBe('gemini-3.1-pro-preview');
    expect(t.error).toContain("agent 'gemini-cli' needs the gemini CLI");
  }, 120_000);
});
