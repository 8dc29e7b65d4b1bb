import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer } from '../../electron/engine/server/local-server';
import { REPO } from '../helpers/cli';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { HELLO_REPORT_SUMMARY, NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const TOKEN = 'runbook-mode-token';
const JETTY = { runbook: true, collection: 'demo', task: 'hello-report', agent: 'builtin' };
/** A chat request with Jetty's `jetty` block (an extension the SDK's types don't know). */
const withJetty = <T extends object>(params: T, jetty: object = JETTY): T => ({ ...params, jetty }) as T;

describe('runbook mode of /v1/chat/completions with the official openai SDK', () => {
  let dir: string;
  let model: ScriptedModelServer;
  let engine: Engine;
  let server: Awaited<ReturnType<typeof createLocalServer>>;
  let client: OpenAI;

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-runbook-mode-'));
    model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
    engine = await createEngine({
      dataDir: dir,
      folders: [path.join(REPO, 'resources/examples')],
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE },
    });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
    client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: TOKEN, maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the task in a sandbox and answers with the trajectory id (non-streaming)', async () => {
    const { data, response } = await client.chat.completions
      .create(withJetty({ model: 'scripted', messages: [{ role: 'user', content: 'Execute the runbook with parameters: name=Grace, times=2' }] }))
      .withResponse();
    const id = (data as unknown as { trajectory_id: string }).trajectory_id;
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(response.headers.get('x-jetty-trajectory-id')).toBe(id);
    expect(data.choices[0].message.content).toContain(HELLO_REPORT_SUMMARY);
    const t = engine.services.store.getTrajectory(id)!;
    expect(t).toMatchObject({ status: 'completed', collection: 'demo', task: 'hello-report', init_params: { name: 'Grace', times: '2' } });
    expect(t.evaluation?.overall_passed).toBe(true);
  });

  it('streams the agent progress as chat chunks', async () => {
    const stream = await client.chat.completions.create(
      withJetty({ model: 'scripted', stream: true as const, messages: [{ role: 'user' as const, content: 'Execute the runbook' }] }),
    );
    let text = '';
    let id = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      id = (chunk as unknown as { trajectory_id: string }).trajectory_id;
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('stop');
    expect(text).toContain(`Started run ${id}`);
    expect(text).toMatch(/→ bash/);
    expect(text).toContain('ready');
    expect(text).toContain(HELLO_REPORT_SUMMARY);
    expect(engine.services.store.getTrajectory(id)?.status).toBe('completed');
  });

  it('runs a runbook fetched from a runbook_url on an allowed host, filed under its folder name', async () => {
    const text = await readFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'));
    const host = http.createServer((_req, res) => res.end(text));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    try {
      await engine.api['settings.update']({ runbookUrlHosts: ['127.0.0.1'] });
      const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/examples/hello-report/RUNBOOK.md`;
      const data = await client.chat.completions.create(
        withJetty({ model: 'scripted', messages: [{ role: 'user', content: 'Execute the runbook with parameters: name=Ada' }] }, { collection: 'remote', runbook_url: url, agent: 'builtin' }),
      );
      const t = engine.services.store.getTrajectory((data as unknown as { trajectory_id: string }).trajectory_id)!;
      expect(t).toMatchObject({ status: 'completed', collection: 'remote', task: 'hello-report', init_params: { name: 'Ada' } });
      expect(await readFile(path.join(dir, 'chat-runbooks/remote/hello-report/RUNBOOK.md'))).toEqual(text);
    } finally {
      host.closeAllConnections();
      await new Promise((resolve) => host.close(resolve));
    }
  });

  it('refuses a runbook block without a task, in the OpenAI error shape', async () => {
    const err = await client.chat.completions
      .create(withJetty({ model: 'scripted', messages: [{ role: 'user', content: 'go' }] }, { runbook: true, collection: 'demo' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(422);
    expect((err as InstanceType<typeof OpenAI.APIError>).message).toMatch(/jetty\.task/);
  });
});
