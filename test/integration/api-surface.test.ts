// The rest of the Jetty API over real HTTP: /openapi.json validated by an OpenAPI validator and
// holding every route the server answers; ingest (idempotent by id, scores as labels); a
// trajectory with its artifacts as one streamed zip; datasets and models.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../helpers/scripted-model-server';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';
import { zipEntries } from '../helpers/zip-entries';

let api: WorkflowApi;
const origin = () => api.base.replace(/\/api\/v1$/, '');
const call = async (method: string, pathname: string, body?: unknown): Promise<{ status: number; json: Json; res: Response }> => {
  const res = await fetch(`${api.base}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, json: type.includes('json') ? await res.json() : null, res };
};

beforeAll(async () => {
  api = await startWorkflowApi(() => reply('unused'));
  await api.post('/collections/', { name: 'evals' });
});
afterAll(async () => api?.close());

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, served without a token, with every route of the server', async () => {
    const res = await fetch(`${origin()}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = new Set(Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const served = [...api.engine.routes.map((r) => `${r.method} ${r.path}`), 'GET /api/health', 'GET /openapi.json', 'GET /docs'].map((r) =>
      r.replace(/\/:([^/]+)/g, '/{$1}').replace(/\/\*([^/]+)$/, '/{$1}'),
    );
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
    expect(documented.size).toBe(new Set(served).size);
    // The body a route validates with is the schema it documents.
    const create = doc.paths['/api/v1/routines/{c}/{t}'].post;
    expect(create.requestBody.content['application/json'].schema.properties.cadence.oneOf.map((c: Json) => c.properties.type.const).sort()).toEqual(['daily', 'hourly', 'manual', 'weekdays', 'weekly']);
    // A param the route takes in one shape only says so.
    expect(doc.paths['/api/v1/evaluations/{id}/cancel'].post.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{8}$' } }]);
    expect(doc.paths['/api/v1/run/{c}/{t}'].post.requestBody.content['multipart/form-data'].schema.properties).toHaveProperty('webhook_url');
    expect((await fetch(`${origin()}/docs`)).headers.get('content-type')).toContain('text/html');
  });
});

describe('ingest', () => {
  it('stores an external run with its scores as labels; a re-push with its id overwrites it', async () => {
    const first = await call('POST', '/trajectories/evals/qa/ingest', {
      input: { question: '2+2?' },
      output: '4',
      scores: { accuracy: 1, latency: 0.5 },
      labels: { model: 'gpt-x' },
      cost_usd: 0.002,
      trajectory_id: 'run-abc-001',
      source: 'braintrust',
      metadata: { split: 'dev' },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ name: 'qa', status: 'completed', storage_path: `evals/qa/${first.json.trajectory_id}` });
    const labels = (l: Json[]) => Object.fromEntries(l.map((x: Json) => [x.key, x.value]));
    expect(labels(first.json.labels)).toEqual({ model: 'gpt-x', 'score.accuracy': '1', 'score.latency': '0.5', cost_est_usd: '0.002' });
    const again = await call('POST', '/trajectories/evals/qa/ingest', { output: '5', status: 'failed', scores: { accuracy: 0 }, trajectory_id: 'run-abc-001' });
    expect(again.json.trajectory_id).toBe(first.json.trajectory_id);
    expect(labels(again.json.labels)).toMatchObject({ 'score.accuracy': '0', 'score.latency': '0.5' });
    const t = (await call('GET', `/db/trajectory/evals/qa/${first.json.trajectory_id}`)).json;
    expect(t).toMatchObject({ status: 'failed', init_params: { split: 'dev' }, steps: { ingest: { outputs: { output: '5' } } } });
    expect(t.events.map((e: Json) => [e.type, e.payload.role])).toEqual([['message', 'user'], ['message', 'assistant']]);
    expect((await call('GET', '/db/trajectories/evals/qa')).json.total).toBe(1);
    expect((await call('POST', '/trajectories/evals/qa/ingest', { scores: { accuracy: 'high' } })).status).toBe(422);
  });
});

describe('download, datasets, models', () => {
  it('streams a trajectory with its artifacts as a zip', async () => {
    const id = (await call('POST', '/trajectories/evals/zip/ingest', { input: 'in', output: 'out' })).json.trajectory_id as string;
    const store = api.engine.services.store;
    const report = Buffer.from('{"overall_passed": true}\n');
    const big = Buffer.alloc(3 * 1024 * 1024, 'jetty ');
    for (const [name, bytes] of [['validation_report.json', report], ['nested/big.txt', big]] as const) {
      const file = path.join(api.dataDir, 'artifacts', id, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
      store.addArtifact(id, { path: name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), media_type: 'text/plain' });
    }
    store.addArtifact(id, { path: 'gone.txt', size: 3, sha256: '0'.repeat(64), media_type: 'text/plain' });
    const { res } = await call('GET', `/trajectory/evals/zip/${id}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-length')).toBeNull(); // streamed
    const zip = Buffer.from(await res.arrayBuffer());
    expect(zip.length).toBeLessThan(big.length / 10);
    const entries = zipEntries(zip);
    expect([...entries.keys()].sort()).toEqual(['MISSING.txt', 'artifacts/nested/big.txt', 'artifacts/validation_report.json', 'trajectory.json']);
    expect(JSON.parse(entries.get('trajectory.json')!.toString())).toMatchObject({ id, format_version: 2, events: [expect.anything(), expect.anything()] });
    expect(entries.get('artifacts/nested/big.txt')!.equals(big)).toBe(true);
    expect(entries.get('MISSING.txt')!.toString()).toContain('gone.txt');
    expect((await call('GET', `/trajectory/evals/other/${id}/download`)).status).toBe(404);
  });

  it('lists a collection’s datasets and models (the models route with its trailing slash too)', async () => {
    const dir = path.join(api.dataDir, 'files', 'evals', 'datasets');
    await mkdir(path.join(dir, 'golden'), { recursive: true });
    await writeFile(path.join(dir, 'golden', 'a.jsonl'), '{}\n');
    await writeFile(path.join(dir, 'smoke.csv'), 'q,a\n');
    const sets = (await call('GET', '/datasets/evals')).json;
    expect(sets).toEqual([
      { name: 'golden', description: 'a folder of 1 entries', storage_path: 'evals/datasets/golden', files: 1 },
      { name: 'smoke.csv', description: 'a file of 4 bytes', storage_path: 'evals/datasets/smoke.csv', files: 1 },
    ]);
    api.engine.services.store.importTrajectory({ format_version: 2, id: 'aaaa0001', collection: 'evals', task: 'm', kind: 'runbook', status: 'completed', init_params: {}, agent: 'builtin', model: 'openai/gpt-4o-mini', created_at: new Date().toISOString(), started_at: null, ended_at: null, usage: null, evaluation: null, steps: {}, labels: [], artifacts: [], events: [] });
    const models = (await call('GET', '/models/evals/')).json as Json[];
    expect(models.find((m) => m.name === 'openai/gpt-4o-mini')).toMatchObject({ description: 'used by 1 run of evals' });
    expect(models.every((m) => typeof m.name === 'string' && typeof m.description === 'string')).toBe(true);
  });
});
