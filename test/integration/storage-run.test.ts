import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { payloadsOf } from '../helpers/events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { exportChunks } from '../../electron/engine/trajectories/export-stream';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { startS3Server, type S3Server } from '../helpers/s3-server';
import { callTools, startScriptedModelServer, type Script, type ScriptedModelServer } from '../helpers/scripted-model-server';

const repo = path.resolve(__dirname, '../..');
const RUNBOOK = path.join(repo, 'test/fixtures/runs/demo/secret-report/RUNBOOK.md');
const WRITE = 'cd /app/results && head -c 3000000 /dev/urandom > data.bin && echo "# report" > summary.md';

const writesResults: Script = (request) => {
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  if (turns === 0) return callTools({ name: 'bash', arguments: { command: WRITE } });
  if (turns === 1) return callTools({ name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: '{"overall_passed": true}' } });
  return callTools({ name: 'finish', arguments: { summary: 'done' } });
};

describe('a run whose collection stores artifacts in S3 (real Docker run, s3rver on loopback)', () => {
  let s3: S3Server;
  let model: ScriptedModelServer;
  let dataDir: string;
  let engine: Engine;

  beforeAll(async () => {
    await requireDocker();
    s3 = await startS3Server(['artifacts']);
    model = await startScriptedModelServer(writesResults);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-storage-run-'));
    engine = await createEngine({ dataDir, env: { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } });
  });
  afterAll(async () => {
    await engine?.close();
    await model?.close();
    await s3?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stores the artifacts in the bucket after the run ends, prunes the local copies once verified, and previews them from there', async () => {
    const { runner, storage } = engine.services;
    storage.configure('demo', { backend: 's3', bucket: 'artifacts', prefix: 'runs', endpoint: s3.url, pruneLocal: true });
    const uploaded = new Promise<void>((resolve) => {
      let n = 0;
      storage.onUpload((a) => a.ok && a.kind === 'artifact' && ++n === 3 && resolve());
    });
    const exported = new Promise<void>((resolve) => storage.onUpload((a) => a.ok && a.kind === 'export' && resolve()));
    const run = await runner.start({ runbookPath: RUNBOOK, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: 'demo-token-value-123' }, baseURL: model.url, apiKey: 'k', model: 'scripted' });
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');
    await uploaded;
    await exported; // the snapshot taken when the run ended

    const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts', Prefix: `runs/artifacts/${t.id}/` }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(['data.bin', 'summary.md', 'validation_report.json'].map((f) => `runs/artifacts/${t.id}/${f}`));
    expect(existsSync(path.join(dataDir, 'artifacts', t.id, 'summary.md'))).toBe(false);
    const queued = payloadsOf(engine.services.store.listEvents(t.id, { limit: 1000 }), 'log').find((p) => p.upload_pending === 3);
    expect(queued?.location).toBe(`s3://artifacts/runs/artifacts/${t.id}`);
    const preview = await engine.api['trajectory.artifact']({ id: t.id, path: 'summary.md' });
    expect(preview.content).toBe('# report\n');

    // The run's export snapshot is in the bucket, what `jetty export` writes (the CLI adds a newline).
    const snapshot = await client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: `runs/exports/${t.id}.json` }));
    const chunks: string[] = [];
    for await (const chunk of exportChunks(engine.services.store, t.id)) chunks.push(chunk);
    expect(await snapshot.Body!.transformToString()).toBe(chunks.join(''));
  });
});
