// A real run (real Docker, the built-in agent against the scripted model server) leaves the app
// as OpenTelemetry GenAI spans (to a real OTLP/HTTP receiver on loopback) and as an ATIF document
// (the built `jetty export --format atif`), which the schema check accepts and which imports back
// (`jetty import`) into a trajectory whose export is the same document.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { atifIssues, type AtifTrajectory } from '../../electron/engine/trajectories/atif-schema';
import type { Trajectory } from '../../shared/trajectory';
import { jetty, requireBuiltCli, waitFor } from '../helpers/cli';
import { requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const HELLO = path.resolve(__dirname, '../../resources/examples/demo/hello-report/RUNBOOK.md');
const SECRET = 'sk-live-otel-3c9d7e1f2a4b';

let dir: string;
let engine: Engine;
let model: ScriptedModelServer;
let receiver: OtlpReceiver;
let run: Trajectory;

async function helloRun(): Promise<Trajectory> {
  const handle = await engine.services.runner.start({ runbookPath: HELLO, image: TEST_BASE_IMAGE, baseURL: model.url, apiKey: SECRET, model: 'scripted' });
  const t = await handle.done;
  expect(t.status, t.error ?? '').toBe('completed');
  return t;
}
/** A trajectory's trace: its invoke_agent span (by the trajectory id) and every span of that trace. */
const spansOf = (id: string) => {
  const root = receiver.spans.find((s) => s.attributes['jetty.trajectory.id'] === id);
  return root ? receiver.spans.filter((s) => s.traceId === root.traceId) : [];
};

beforeAll(async () => {
  requireBuiltCli();
  await requireDocker();
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-interop-'));
  model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
  receiver = await startOtlpReceiver();
  engine = await createEngine({ dataDir: path.join(dir, 'data'), otlpEndpoint: receiver.url, env: {} });
  run = await helloRun();
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await model?.close();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('OpenTelemetry GenAI spans of a real run', () => {
  it('one invoke_agent span with a chat span per model call and an execute_tool span per tool call beneath it', async () => {
    await waitFor(() => spansOf(run.id).length >= 9, 'the run’s spans at the receiver', 20_000);
    const spans = spansOf(run.id);
    const root = spans.find((s) => s.name === 'invoke_agent builtin')!;
    expect(root).toMatchObject({ kind: 1, parentSpanId: undefined, status: { code: 1 } });
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'openai',
      'gen_ai.agent.name': 'builtin',
      'gen_ai.request.model': 'scripted',
      'gen_ai.usage.input_tokens': run.usage!.prompt_tokens,
      'gen_ai.usage.output_tokens': run.usage!.completion_tokens,
      'jetty.trajectory.id': run.id,
    });
    expect(root.resource).toMatchObject({ 'service.name': 'jetty-desktop' });
    const children = spans.filter((s) => s !== root);
    expect(children.map((s) => s.name).sort()).toEqual(
      ['chat scripted', 'chat scripted', 'chat scripted', 'execute_tool bash', 'execute_tool finish', 'execute_tool write_file', 'execute_tool write_file', 'execute_tool write_file'].sort(),
    );
    for (const child of children) {
      expect(child).toMatchObject({ traceId: root.traceId, parentSpanId: root.spanId });
      expect(child.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(child.start >= root.start && child.end <= root.end && child.start <= child.end).toBe(true);
    }
    const chats = children.filter((s) => s.name.startsWith('chat'));
    expect(chats.every((s) => s.kind === 3 && s.attributes['gen_ai.operation.name'] === 'chat' && s.attributes['gen_ai.provider.name'] === 'openai')).toBe(true);
    expect(chats.reduce((n, s) => n + Number(s.attributes['gen_ai.usage.input_tokens']), 0)).toBe(run.usage!.prompt_tokens);
    const bash = children.find((s) => s.name === 'execute_tool bash')!;
    expect(bash.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'bash', 'gen_ai.tool.type': 'function', 'gen_ai.tool.call.id': expect.stringMatching(/^call_/) });
    // No message content unless asked for.
    expect(spans.some((s) => Object.keys(s.attributes).some((k) => /messages|arguments|result|instructions/.test(k)))).toBe(false);
  });

  it('message content only when opted in, redacted', async () => {
    await engine.api['settings.update']({ otlpCaptureContent: true });
    engine.services.store.setSharedSecrets({ DEMO_KEY: 'Execute the runbook with parameters' });
    const second = await helloRun();
    await waitFor(() => spansOf(second.id).length >= 9, 'the second run’s spans', 20_000);
    const chat = spansOf(second.id).find((s) => s.name === 'chat scripted')!;
    const input = JSON.parse(String(chat.attributes['gen_ai.input.messages'])) as { role: string; parts: { type: string; content?: string }[] }[];
    expect(input.map((m) => m.role)).toEqual(['user']);
    expect(input[0].parts[0].content).toContain('[REDACTED:DEMO_KEY]');
    expect(String(chat.attributes['gen_ai.system_instructions'])).toContain('coding agent');
    expect(JSON.parse(String(chat.attributes['gen_ai.tool.definitions'])).map((t: { name: string }) => t.name)).toContain('bash');
    expect(spansOf(second.id).find((s) => s.name === 'execute_tool bash')!.attributes['gen_ai.tool.call.arguments']).toContain('mkdir');
    expect(JSON.stringify(receiver.spans.map((s) => s.attributes))).not.toContain(SECRET);
    await engine.api['settings.update']({ otlpCaptureContent: false });
    engine.services.store.setSharedSecrets({});
  });
});

describe('ATIF of a real run', () => {
  it('jetty export --format atif writes a valid document; jetty import reads it back; the round trip is the same document', async () => {
    const out = path.join(dir, 'atif');
    const exported = await jetty(['export', '--format', 'atif', run.id, '--out', out, '--data-dir', path.join(dir, 'data')]);
    expect(exported.code, exported.stderr).toBe(0);
    const doc = JSON.parse(await readFile(path.join(out, 'trajectory.json'), 'utf8')) as AtifTrajectory;
    expect(atifIssues(doc)).toEqual([]);
    expect(doc).toMatchObject({ schema_version: 'ATIF-v1.7', trajectory_id: run.id, agent: { name: 'builtin', model_name: 'scripted' } });
    expect(doc.agent.tool_definitions!.map((t) => t.function.name)).toEqual(['bash', 'read_file', 'write_file', 'list_files', 'finish']);
    expect(doc.steps.map((s) => s.source)).toEqual(['system', 'user', 'agent', 'agent', 'agent']);
    expect(doc.steps[2].tool_calls![0]).toMatchObject({ function_name: 'bash', arguments: { command: 'mkdir -p /app/results && echo ready' } });
    expect(doc.steps[2].observation!.results[0]).toMatchObject({ source_call_id: doc.steps[2].tool_calls![0].tool_call_id, content: 'ready\n[exit code 0]' });
    expect(doc.final_metrics).toMatchObject({ total_prompt_tokens: run.usage!.prompt_tokens, total_completion_tokens: run.usage!.completion_tokens, total_steps: 5 });
    expect(JSON.stringify(doc)).not.toContain(SECRET);

    const fresh = path.join(dir, 'fresh');
    const imported = await jetty(['import', path.join(out, 'trajectory.json'), '--data-dir', fresh]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe(run.id);
    const again = await jetty(['export', '--format', 'atif', run.id, '--data-dir', fresh]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(doc);
  });
});
