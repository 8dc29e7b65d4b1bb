// Artifact storage throughput: a 200 MB artifact uploaded and downloaded through the
// storage layer (engine/storage s3 backend: lib-storage multipart, streamed get) vs the
// bare AWS SDK doing the same transfer (same part size and parallelism) against the same
// S3-compatible server (s3rver, in its own process on 127.0.0.1), alternating, in one run.
// Also the peak RSS of this process above its baseline during the layer's transfers.
// Run: node --import tsx bench/storage.mjs [megabytes] [rounds]
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openBackend } from '../electron/engine/storage/index.ts';
import { PART_SIZE } from '../electron/engine/storage/s3.ts';
import { writeRandomFile } from '../test/helpers/storage-artifacts.ts';

const MB = 1024 * 1024;
const SIZE = Number(process.argv[2] ?? 200) * MB;
const ROUNDS = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-storage-'));
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

// s3rver in a child process, so its memory is not counted in ours.
const server = spawn(process.execPath, ['-e', `
  const S3rver = require('s3rver');
  new S3rver({ port: 0, address: '127.0.0.1', directory: ${JSON.stringify(path.join(dir, 's3'))}, silent: true, configureBuckets: [{ name: 'bench' }] })
    .run().then((a) => console.log(a.port));
`], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = Number((await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next()).value);
const endpoint = `http://127.0.0.1:${port}`;

const file = path.join(dir, 'artifact.bin');
const sha256 = await writeRandomFile(file, SIZE);

const layer = openBackend({ backend: 's3', bucket: 'bench', prefix: 'layer', endpoint, pruneLocal: false }, { localRoot: dir, env: {}, credentials: () => credentials });
const sdk = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 3 });

const drain = async (stream) => {
  let n = 0;
  for await (const chunk of stream) n += chunk.length;
  if (n !== SIZE) throw new Error(`read ${n} bytes, expected ${SIZE}`);
};
const transfers = {
  'layer upload': () => layer.put('artifact.bin', createReadStream(file), { size: SIZE, sha256 }),
  'sdk upload': () => new Upload({ client: sdk, params: { Bucket: 'bench', Key: 'sdk/artifact.bin', Body: createReadStream(file) }, partSize: PART_SIZE, queueSize: 4 }).done(),
  'layer download': async () => drain(await layer.get('artifact.bin')),
  'sdk download': async () => drain((await sdk.send(new GetObjectCommand({ Bucket: 'bench', Key: 'sdk/artifact.bin' }))).Body),
};

/** Runs `fn`, sampling RSS every 10 ms; returns MB/s and the peak RSS above `baseline`. */
async function measure(fn, baseline) {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { mbps: SIZE / MB / seconds, peakMb: (Math.max(peak, process.memoryUsage.rss()) - baseline) / MB };
}

const results = Object.fromEntries(Object.keys(transfers).map((k) => [k, []]));
global.gc?.();
const baseline = process.memoryUsage.rss();
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['layer upload', 'sdk upload', 'layer download', 'sdk download'] : ['sdk upload', 'layer upload', 'sdk download', 'layer download'];
  for (const name of order) results[name].push(await measure(transfers[name], baseline));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name) => ({ mbps: median(results[name].map((r) => r.mbps)), peakMb: Math.max(...results[name].map((r) => r.peakMb)) });
console.log(`node ${process.version}, ${SIZE / MB} MB artifact, ${ROUNDS} rounds (median MB/s, max peak RSS above baseline ${Math.round(baseline / MB)} MB)`);
for (const kind of ['upload', 'download']) {
  const l = row(`layer ${kind}`);
  const s = row(`sdk ${kind}`);
  console.log(`${kind.padEnd(8)} layer ${l.mbps.toFixed(1)} MB/s (peak +${l.peakMb.toFixed(0)} MB)  sdk ${s.mbps.toFixed(1)} MB/s (peak +${s.peakMb.toFixed(0)} MB)  ratio ${(l.mbps / s.mbps).toFixed(2)}×`);
}
server.kill();
rmSync(dir, { recursive: true, force: true });
