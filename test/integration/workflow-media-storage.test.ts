// A step's output file goes to its collection's storage like an uploaded input: with an S3
// backend (s3rver on loopback) it lands in the bucket, the local copy is pruned, and
// GET /api/v1/file/{path} still serves it.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadAttempt } from '../../electron/engine/storage';
import { startS3Server, type S3Server } from '../helpers/s3-server';
import { SCRIPTED_PNG } from '../helpers/scripted-model-images';
import { reply } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

let s3: S3Server;
let api: WorkflowApi;
beforeAll(async () => {
  s3 = await startS3Server(['artifacts']);
  api = await startWorkflowApi(() => reply('a revised prompt'), { env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } });
});
afterAll(async () => {
  await api?.close();
  await s3?.close();
});

describe('step output files and collection storage', () => {
  it('an image step’s output in a collection on S3 is uploaded, verified, pruned locally and still downloadable', async () => {
    expect((await api.post('/collections/', { name: 'wf' })).status).toBe(201);
    const settings = { backend: 's3', bucket: 'artifacts', prefix: 'media', endpoint: s3.url, pruneLocal: true };
    expect((await api.curl(['-X', 'PUT', '-H', 'Content-Type: application/json', `${api.base}/collections/wf/storage`, '-d', JSON.stringify({ settings })])).status).toBe(200);
    const uploaded = new Promise<UploadAttempt>((resolve) => {
      const off = api.engine.services.storage.onUpload((a) => {
        if (a.collection !== 'wf') return;
        off();
        resolve(a);
      });
    });
    const t = (await api.runSync('stored', { step_configs: { draw: { activity: 'litellm_image_generation', model: 'dall-e-3', prompt: 'a boat' } }, steps: ['draw'] })).json.trajectory;
    expect(t.status).toBe('completed');
    const relative = t.steps.draw.outputs.images[0].path as string;
    // Queued when the step wrote it (without this the wait below would never end).
    expect(api.engine.services.storage.inputUpload(relative)).toMatchObject({ kind: 'input', collection: 'wf', path: relative });
    expect(await uploaded).toMatchObject({ kind: 'input', path: relative, ok: true });

    const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const object = await buffer((await client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: `media/files/${relative}` }))).Body as Readable);
    expect(object.equals(SCRIPTED_PNG)).toBe(true);
    expect(existsSync(path.join(api.dataDir, 'files', relative))).toBe(false);
    const res = await fetch(`${api.base}/file/${relative}`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(SCRIPTED_PNG)).toBe(true);
  });
});
