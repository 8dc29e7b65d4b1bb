// Local model servers: a loopback server answering Ollama's detection API (/api/tags,
// /api/show) and one answering LM Studio's (/api/v1/models), both speaking the OpenAI wire
// (and, for detection, ones playing llama.cpp's /health and /props and vLLM's model list),
// are set in Settings → Providers, detected and listed with each model's tool support and
// context size, and used without any key by a runbook run (ollama/…, the built-in agent in
// a real sandbox) and a workflow model step (lmstudio/…). A model without tools, or with a
// context smaller than the runbook's prompt, is warned about before the run starts.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { REPO } from '../helpers/cli';
import { TEST_BASE_IMAGE, removeTestContainers, requireDocker } from '../helpers/docker';
import { reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { HELLO_REPORT_SUMMARY, NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

describe('local model servers', () => {
  let dir: string;
  let runbook: string;
  let ollama: ScriptedModelServer;
  let lmstudio: ScriptedModelServer;
  let engine: Engine;

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-local-servers-'));
    runbook = path.join(dir, 'runbooks/acme/hello/RUNBOOK.md');
    await cp(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), runbook);
    ollama = await startScriptedModelServer(NAMED_SCRIPTS['hello-report'], {
      localServer: { kind: 'ollama', models: [{ name: 'qwen3:4b', tools: true, context: 8192 }, { name: 'tiny:1b', tools: false, context: 512 }] },
    });
    lmstudio = await startScriptedModelServer(() => reply('Waves fold into foam.'), { localServer: { kind: 'lmstudio', models: [{ name: 'qwen/qwen3-4b', tools: true, context: 32768 }] } });
    // No provider key anywhere: the environment has none, and neither has the secret store.
    engine = await createEngine({ dataDir: path.join(dir, 'data'), folders: [path.join(dir, 'runbooks')], env: { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
    await engine.api['settings.update']({ providerBaseUrls: { ollama: ollama.url, lmstudio: lmstudio.url } });
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await ollama?.close();
    await lmstudio?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('detects both at the addresses set in Settings and lists each model with its tools and context', async () => {
    const { servers } = await engine.api['localServers.detect']({});
    const byPrefix = Object.fromEntries(servers.map((s) => [s.prefix, s]));
    expect(byPrefix.ollama).toMatchObject({ kind: 'ollama', baseUrl: ollama.url, reachable: true, error: null });
    expect(byPrefix.ollama.models).toEqual([
      { id: 'ollama/qwen3:4b', tools: 'yes', context: 8192 },
      { id: 'ollama/tiny:1b', tools: 'no', context: 512 },
    ]);
    expect(byPrefix.lmstudio).toMatchObject({ reachable: true, models: [{ id: 'lmstudio/qwen/qwen3-4b', tools: 'yes', context: 32768 }] });
    // A server that is not there says why.
    const catalog = await engine.api['providers.catalog']({});
    expect(catalog.providers.find((p) => p.prefix === 'ollama')).toMatchObject({ baseUrl: ollama.url, keySource: 'not-needed', local: 'ollama' });
    expect(catalog.providers.find((p) => p.prefix === 'bedrock')?.unsupported).toMatch(/SigV4/);
  });

  it('detects llama.cpp (its /health and /props) and vLLM (owned_by "vllm", max_model_len) too', async () => {
    const llamacpp = await startScriptedModelServer(() => reply('from llama.cpp'), { localServer: { kind: 'llamacpp', models: [{ name: 'qwen3-4b-q4', tools: false, context: 4096 }] } });
    const vllm = await startScriptedModelServer(() => reply('from vLLM'), { localServer: { kind: 'vllm', models: [{ name: 'Qwen/Qwen3-8B', tools: true, context: 32768 }] } });
    try {
      await engine.api['settings.update']({ providerBaseUrls: { ollama: ollama.url, lmstudio: lmstudio.url, llamacpp: llamacpp.url, vllm: vllm.url } });
      const { servers } = await engine.api['localServers.detect']({});
      const byPrefix = Object.fromEntries(servers.map((s) => [s.prefix, s]));
      expect(byPrefix.llamacpp).toMatchObject({ kind: 'llamacpp', baseUrl: llamacpp.url, reachable: true, error: null, models: [{ id: 'llamacpp/qwen3-4b-q4', tools: 'no', context: 4096 }] });
      // vLLM says nothing of tools until a call with tools works.
      expect(byPrefix.vllm).toMatchObject({ kind: 'vllm', baseUrl: vllm.url, reachable: true, error: null, models: [{ id: 'vllm/Qwen/Qwen3-8B', tools: 'unknown', context: 32768 }] });
    } finally {
      await engine.api['settings.update']({ providerBaseUrls: { ollama: ollama.url, lmstudio: lmstudio.url } });
      await llamacpp.close();
      await vllm.close();
    }
  });

  it('tests an endpoint: connected, with its models; or why not', async () => {
    expect(await engine.api['endpoints.test']({ name: 'lab', baseUrl: lmstudio.url })).toEqual({ ok: true, models: ['qwen/qwen3-4b'], message: 'connected, 1 model' });
    const closed = await engine.api['endpoints.test']({ name: 'gone', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(closed).toMatchObject({ ok: false, message: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:9\/v1\/models/) });
  });

  it('warns before a run on a model without tools, or whose context is smaller than the runbook’s prompt', async () => {
    const tiny = await engine.api['run.plan']({ runbookPath: runbook, agent: 'builtin', model: 'ollama/tiny:1b' });
    expect(tiny.problems).toEqual([]);
    expect(tiny.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/model ollama\/tiny:1b does not take tools/), expect.stringMatching(/model ollama\/tiny:1b has a context of 512 tokens, smaller than the runbook's prompt/)]),
    );
    const able = await engine.api['run.plan']({ runbookPath: runbook, agent: 'builtin', model: 'ollama/qwen3:4b' });
    expect(able.warnings.filter((w) => /tools|context/.test(w))).toEqual([]);
  });

  it('a runbook run uses ollama/… without any key', async () => {
    const { trajectoryId } = await engine.api['run.start']({ runbookPath: runbook, params: { name: 'Ada' }, agent: 'builtin', model: 'ollama/qwen3:4b' });
    const t = (await engine.services.runner.get(trajectoryId)?.done) ?? engine.services.store.getTrajectory(trajectoryId)!;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.steps.agent.outputs).toMatchObject({ summary: HELLO_REPORT_SUMMARY });
    const calls = ollama.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every((r) => r.body?.model === 'qwen3:4b' && r.headers.authorization === undefined)).toBe(true);
  }, 180_000);

  it('a workflow model step uses lmstudio/… without any key', async () => {
    const document = { step_configs: { ask: { activity: 'litellm_chat', model: 'lmstudio/qwen/qwen3-4b', prompt: 'A line about the sea.' } }, steps: ['ask'] };
    const workflow = await engine.workflows.start({ collection: 'wf', task: 'local', document }).done;
    expect(workflow.status, workflow.error ?? '').toBe('completed');
    expect(workflow.steps.ask?.outputs).toMatchObject({ text: 'Waves fold into foam.' });
    expect(lmstudio.requests.findLast((r) => r.path === '/v1/chat/completions')?.body?.model).toBe('qwen/qwen3-4b');
  }, 60_000);
});
