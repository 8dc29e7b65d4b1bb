import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { filesRoot } from '../../electron/engine/server/rest';
import { REPO } from '../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';

const run = promisify(execFile);
const TOKEN = 'rest-test-token';

let dataDir: string;
let folder: string;
let server: LocalServer;
let upstream: FakeUpstream;
let engine: Engine;
let base: string;

/** Runs the real curl binary; returns status and parsed JSON (or raw text). */
async function curl(args: string[], input?: string) {
  const child = run('curl', ['-s', '-w', '\n%{http_code}', ...args], { maxBuffer: 16 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin?.end(input);
  const { stdout } = await child;
  const cut = stdout.lastIndexOf('\n');
  const text = stdout.slice(0, cut);
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: Number(stdout.slice(cut + 1)), json: json as Doc, text };
}
type Doc = Record<string, unknown> & Record<string, unknown>[];
const auth = () => ['-H', `Authorization: Bearer ${TOKEN}`];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-rest-'));
  folder = mkdtempSync(path.join(os.tmpdir(), 'jetty-rest-folder-'));
  mkdirSync(path.join(folder, 'runbooks', 'acme', 'hello'), { recursive: true });
  writeFileSync(path.join(folder, 'runbooks', 'acme', 'hello', 'RUNBOOK.md'), readFileSync(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md')));
  upstream = await startFakeUpstream();
  engine = await createEngine({ dataDir, folders: [folder], env: { OPENAI_BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-up' } });
  server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes, maxBodyBytes: 1024 * 1024 });
  base = `${server.origin}/api/v1`;
});

afterAll(async () => {
  await server?.close();
  await engine?.close();
  await upstream?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

describe('the Jetty REST API on localhost, driven by curl as the seed does', () => {
  it('collections: list (array with .name), create, get, environment keys only', async () => {
    const created = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: application/json', `${base}/collections/`, '-d', '{"name": "my-collection", "description": "My workflows"}']);
    expect(created.status).toBe(201);
    const list = await curl([...auth(), `${base}/collections/`]);
    expect(list.json.map((c) => c.name)).toEqual(['acme', 'my-collection']);

    const body = '{"environment_variables": {"OPENAI_API_KEY": "sk-very-secret-value", "OTHER": "x"}}';
    const patched = await curl(['-X', 'PATCH', ...auth(), '-H', 'Content-Type: application/json', `${base}/collections/acme/environment`, '--data-binary', '@-'], body);
    expect(patched.status).toBe(200);
    await curl(['-X', 'PATCH', ...auth(), '-H', 'Content-Type: application/json', `${base}/collections/acme/environment`, '-d', '{"environment_variables": {"OTHER": null}}']);
    const env = await curl([...auth(), `${base}/collections/acme/environment`]);
    expect(Object.keys(env.json)).toEqual(['OPENAI_API_KEY']);
    expect(env.text).not.toContain('sk-very-secret-value');
    const acme = await curl([...auth(), `${base}/collections/acme`]);
    expect(Object.keys(acme.json.environment_variables as object)).toEqual(['OPENAI_API_KEY']);
    expect(acme.text).not.toContain('sk-very-secret-value');
    expect(readFileSync(engine.services.store.file).includes('sk-very-secret-value')).toBe(false);
  });

  it('tasks: folder runbooks are tasks; create, get, search, update, delete', async () => {
    const tasks = await curl([...auth(), `${base}/tasks/acme/`]);
    expect(tasks.json.map((t) => t.name)).toEqual(['hello']);
    expect((tasks.json[0] as { workflow: { runbook: string } }).workflow.runbook).toMatch(/RUNBOOK\.md$/);
    const workflow = { init_params: { text: 'Hello!' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] };
    const created = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: application/json', `${base}/tasks/acme`, '-d', JSON.stringify({ name: 'test-echo', description: 'Simple echo test', workflow })]);
    expect(created.status).toBe(201);
    expect((await curl([...auth(), `${base}/tasks/acme/test-echo`])).json.workflow).toEqual(workflow);
    expect((await curl([...auth(), `${base}/tasks/acme/search?q=echo`])).json.map((t) => t.name)).toEqual(['test-echo']);
    const updated = await curl(['-X', 'PUT', ...auth(), '-H', 'Content-Type: application/json', `${base}/tasks/acme/test-echo`, '-d', '{"description": "Updated"}']);
    expect(updated.json).toMatchObject({ description: 'Updated', workflow });
    expect((await curl(['-X', 'DELETE', ...auth(), `${base}/tasks/acme/test-echo`])).json).toMatchObject({ deleted: true });
    expect((await curl([...auth(), `${base}/tasks/acme/test-echo`])).status).toBe(404);
    expect((await curl(['-X', 'DELETE', ...auth(), `${base}/tasks/acme/hello`])).status).toBe(409);
  });

  it('trajectories: paged list, steps as an object, events with level, statuses, labels (422 naming the field), stats', async () => {
    const call = await curl(['-i', ...auth(), '-H', 'Content-Type: application/json', `${server.origin}/v1/chat/completions`, '-d', '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}]}']);
    const id = call.text.match(/x-jetty-trajectory-id: (\w+)/i)![1];
    // Recorded off the hot path by the recording thread: wait until it shows up.
    let page = await curl([...auth(), `${base}/db/trajectories/passthrough/openai?limit=20`]);
    for (let i = 0; i < 200 && page.json.total === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      page = await curl([...auth(), `${base}/db/trajectories/passthrough/openai?limit=20`]);
    }
    expect(page.json).toMatchObject({ total: 1, page: 1, limit: 20, has_more: false });
    expect((page.json.trajectories as unknown as { trajectory_id: string }[])[0].trajectory_id).toBe(id);
    const one = await curl([...auth(), `${base}/db/trajectory/passthrough/openai/${id}`]);
    expect(Object.keys(one.json.steps as object)).toEqual(['completion']);
    expect((one.json.events as { level: string }[])[0].level).toBe('info');

    const labelled = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: application/json', `${base}/trajectory/passthrough/openai/${id}/labels`, '-d', '{"key": "quality", "value": "high", "author": "user@example.com"}']);
    expect(labelled.status).toBe(201);
    const noAuthor = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: application/json', `${base}/trajectory/passthrough/openai/${id}/labels`, '-d', '{"key": "quality", "value": "high"}']);
    expect(noAuthor.status).toBe(422);
    expect(noAuthor.text).toContain('body.author: required');

    const statuses = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: application/json', `${base}/trajectory/passthrough/openai/statuses`, '-d', JSON.stringify({ [id]: 'archived', ffffffff: 'cancelled' })]);
    expect(statuses.json).toEqual({ updated: [id], missing: ['ffffffff'] });
    const stats = await curl([...auth(), `${base}/db/stats/passthrough/openai`]);
    expect(stats.json).toMatchObject({ total: 1, by_status: { archived: 1 } });
  });

  it('step templates need no token; health answers', async () => {
    const templates = await curl([`${base}/step-templates`]);
    expect(templates.json.total_count).toBeGreaterThan(10);
    expect((templates.json.templates as { activity_name: string }[]).map((t) => t.activity_name)).toContain('litellm_chat');
    expect((await curl([`${base}/health`])).json).toMatchObject({ status: 'ok' });
  });

  it('files: upload returns a path that downloads; traversal in every spelling is refused and writes nothing', async () => {
    const local = path.join(folder, 'input.csv');
    writeFileSync(local, 'a,b\n1,2\n');
    const up = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: multipart/form-data', '-F', `file=@${local}`, '-F', 'collection=acme', `${base}/files/upload`]);
    expect(up.status).toBe(201);
    const down = await curl([...auth(), `${base}/file/${up.json.path}`]);
    expect(down.text).toBe('a,b\n1,2\n');

    const root = filesRoot(dataDir);
    symlinkSync('/etc', path.join(root, 'acme', 'escape'));
    const before = readdirSync(root, { recursive: true }).sort();
    for (const evil of ['../jetty.db', '..%2Fjetty.db', '%2e%2e/jetty.db', '%2e%2e%2fjetty.db', 'acme/..%5c..%5cjetty.db', '%2Fetc%2Fpasswd', 'acme%00.csv', 'acme/escape/passwd']) {
      const res = await curl(['--path-as-is', ...auth(), `${base}/file/${evil}`]);
      expect([400, 403, 404], evil).toContain(res.status);
      expect(res.text, evil).not.toContain('root:');
    }
    const sneaky = await curl(['-X', 'POST', ...auth(), '-F', `file=@${local};filename=../../evil.sh`, '-F', 'collection=acme', `${base}/files/upload`]);
    expect(sneaky.json.filename).toBe('evil.sh');
    expect(String(sneaky.json.path).startsWith('acme/uploads/')).toBe(true);
    const after = readdirSync(root, { recursive: true }).filter((p) => !String(p).includes(path.dirname(String(sneaky.json.path)).split('/').pop()!)).sort();
    expect(after).toEqual(before);
  });

  it('refuses missing and wrong tokens, foreign Host and Origin, and oversized bodies', async () => {
    expect((await curl([`${base}/collections/`])).status).toBe(401);
    expect((await curl(['-H', 'Authorization: Bearer nope', `${base}/collections/`])).status).toBe(401);
    expect((await curl([...auth(), '-H', 'Host: evil.example', `${base}/collections/`])).status).toBe(403);
    expect((await curl([...auth(), '-H', 'Origin: http://evil.example', `${base}/collections/`])).status).toBe(403);
    const big = JSON.stringify({ name: 'big', description: 'x'.repeat(2 * 1024 * 1024) });
    const tooBig = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: application/json', `${base}/collections/`, '--data-binary', '@-'], big);
    expect(tooBig.status).toBe(413);
    expect((await curl([...auth(), `${base}/collections/`])).json.map((c) => c.name)).not.toContain('big');
  });

  it('run endpoints and runbook mode validate before starting anything', async () => {
    const invalid = await curl(['-X', 'POST', ...auth(), '-H', 'Content-Type: application/json', `${base}/tasks/acme`, '-d', '{"name": "wf", "workflow": {"steps": []}}']);
    expect(invalid.status).toBe(422);
    expect((await curl(['-X', 'POST', ...auth(), '-F', 'init_params={}', `${base}/run/acme/nope`])).status).toBe(404);
    const badParams = await curl(['-X', 'POST', ...auth(), '-F', 'init_params={not json', `${base}/run/acme/hello`]);
    expect(badParams.status).toBe(422);
    expect(badParams.text).toContain('init_params: not valid JSON');
    const noTask = await curl([...auth(), '-H', 'Content-Type: application/json', `${server.origin}/v1/chat/completions`, '-d', '{"model":"m","messages":[],"jetty":{"runbook":true,"collection":"acme","agent":"codex"}}']);
    expect(noTask.status).toBe(422);
    expect(noTask.json.error).toMatchObject({ message: 'jetty.task: required' });
  });
});
