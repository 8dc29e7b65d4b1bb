// Errors that say what to do: a run whose model needs a key that is not configured fails
// before any sandbox starts, naming the variable and where to set it (a keyless server the
// user points the provider at is not refused); and workflow model steps use the key saved in
// Settings (the vault), as runbook runs do, from the moment it is saved.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { openStore } from '../../electron/engine/store';
import { REPO, requireBuiltCli, spawnJsonLines } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { HELLO_REPORT_SUMMARY, helloReport } from '../helpers/scripted-model-scripts';

/** No provider variable of the test's own environment reaches the runs. */
const NO_PROVIDER_ENV = Object.fromEntries(
  ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'GOOGLE_GEMINI_BASE_URL', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'JETTY_MODEL', 'JETTY_SANDBOX_IMAGE'].map((n) => [n, '']),
);

describe('a model key that is not configured', () => {
  let dir: string;
  let runbook: string;

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-key-check-'));
    runbook = path.join(dir, 'runbooks/acme/claude-hello/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    const hello = await readFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), 'utf8');
    // A real runbook's shape: the built-in agent on an Anthropic model.
    await writeFile(runbook, hello.replace('agent: builtin\n', 'agent: builtin\nmodel: anthropic/claude-sonnet-4\n'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `jetty run` as a process; the time from its start to its exit. */
  async function jettyRun(args: string[], env: NodeJS.ProcessEnv) {
    const started = process.hrtime.bigint();
    const run = spawnJsonLines(['run', runbook, '--param', 'name=Ada', '--json', ...args], { ...NO_PROVIDER_ENV, ...env });
    const code = await run.exited;
    return { code, lines: run.lines, stderr: run.stderr(), ms: Number(process.hrtime.bigint() - started) / 1e6 };
  }

  it('`jetty run` fails at once naming the variable and where to set it, before any sandbox starts', async () => {
    const dataDir = path.join(dir, 'no-key');
    const { code, lines, stderr, ms } = await jettyRun(['--image', TEST_BASE_IMAGE, '--data-dir', dataDir], {});
    expect(stderr).toBe(
      'jetty run: the run cannot start:\n  - the model anthropic/claude-sonnet-4 needs ANTHROPIC_API_KEY: set it in Settings → Anthropic → API key (kept in the secret store), or in the environment\n',
    );
    expect(code).toBe(1);
    // Nothing started: no trajectory (a run's comes before its sandbox), no output line.
    expect(lines).toEqual([]);
    const store = openStore(path.join(dataDir, 'jetty.db'));
    try {
      expect(store.listTrajectories({}).total).toBe(0);
    } finally {
      store.close();
    }
    console.log(`jetty run without ANTHROPIC_API_KEY: exit ${code} after ${ms.toFixed(0)} ms (process start to exit)`);
  }, 60_000);

  it('is no problem where the provider is pointed at a server of the user’s: a keyless one answers the run', async () => {
    const keyless: ScriptedModelServer = await startScriptedModelServer(helloReport);
    try {
      const dataDir = path.join(dir, 'keyless');
      const { code, lines, stderr } = await jettyRun(['--image', TEST_BASE_IMAGE, '--data-dir', dataDir], { ANTHROPIC_BASE_URL: keyless.url.replace(/\/v1$/, '') });
      const result = lines.find((l) => l.type === 'result') as { trajectory: { status: string; error: string | null; steps: Record<string, { outputs?: { summary?: string } }> } } | undefined;
      expect(code, `${stderr}\n${result?.trajectory.error ?? ''}`).toBe(0);
      expect(result?.trajectory.steps.agent.outputs?.summary).toBe(HELLO_REPORT_SUMMARY);
      // The calls reached the keyless server in Anthropic's API, with no key.
      const calls = keyless.requests.filter((r) => r.path.endsWith('/messages'));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((r) => !r.headers['x-api-key'] && !r.headers.authorization)).toBe(true);
    } finally {
      await keyless.close();
    }
  }, 180_000);
});

describe('workflow model steps', () => {
  const VAULT_KEY = 'sk-saved-in-settings-only';
  let model: ScriptedModelServer;
  let engine: Engine;
  let dataDir: string;

  beforeAll(async () => {
    // The provider answers only the key saved in Settings; the environment has its address and no key.
    model = await startScriptedModelServer((request) => reply(`echo: ${String(request.messages.at(-1)?.content ?? '')}`), { apiKey: VAULT_KEY });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-key-workflow-'));
    engine = await createEngine({ dataDir, env: { OPENAI_BASE_URL: model.url } });
  });
  afterAll(async () => {
    await engine?.close();
    await model?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const ask = (question: string) =>
    engine.workflows.start({
      collection: 'wf',
      task: 'ask',
      document: { step_configs: { ask: { activity: 'litellm_chat', model: 'openai/gpt-4o-mini', prompt_path: 'init_params.question' } }, steps: ['ask'] },
      init_params: { question },
    }).done;

  it('use the key saved in Settings (the vault) with no key in the environment, from the moment it is saved', async () => {
    const before = await ask('before the key');
    expect(before.status).toBe('failed');
    expect(before.error).toContain('OPENAI_API_KEY');
    expect(model.requests.filter((r) => r.path.endsWith('/chat/completions'))).toEqual([]);

    await engine.api['secrets.set']({ name: 'OPENAI_API_KEY', value: VAULT_KEY });
    const after = await ask('two plus two');
    expect(after.status, after.error ?? '').toBe('completed');
    expect(after.steps.ask.outputs?.text).toBe('echo: two plus two');
    expect(model.requests.at(-1)!.headers.authorization).toBe(`Bearer ${VAULT_KEY}`);

    // A key cleared in Settings is gone for the next step too.
    await engine.api['secrets.clear']({ name: 'OPENAI_API_KEY' });
    expect((await ask('after clearing')).status).toBe('failed');
    expect(model.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(1);
  }, 60_000);
});
