// Sandbox start: from "run start" to the first command's output — ensureImage on a present
// image + create (a warm pool's container adopted, or one made: container, /app layout,
// start) + exec `echo hi` returning, with the run's environment — with the warm pool on
// and off, vs a bare `docker run --rm <same image> true` and `… echo hi` through the Docker CLI,
// in the same rounds. Before each round the pool is full again (its refill is not timed, and
// never overlaps another target). Needs Docker and the offline base image (bash .ci/docker.sh).
// Run: node --import tsx bench/sandbox-start.mjs [rounds=7] [pool size=2]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSandboxService } from '../electron/engine/sandbox/index.ts';
import { OFFLINE_BUILD_ARGS, requireDocker } from '../test/helpers/docker.ts';

const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 7), 1), 100);
const POOL = Math.min(Math.max(Number(process.argv[3] ?? 2), 1), 8);
const run = promisify(execFile);

const docker = await requireDocker();
// The real python312-uv Dockerfile, built offline on the test base (untimed, once).
const options = { docker, imageNamespace: 'jetty-bench', buildArgs: OFFLINE_BUILD_ARGS };
const off = createSandboxService(options);
const pooled = createSandboxService({ ...options, warmPool: { size: () => POOL, onError: (m) => console.error(m) } });
const request = { snapshot: 'python312-uv' };
const { name: image, action } = await off.ensureImage(request);
console.log(`image ${image} (${action})`);

/** Waits (bounded) until the pool has POOL containers parked. */
async function poolFull() {
  const deadline = Date.now() + 60_000;
  while ((pooled.poolStatus()?.parked.reduce((n, p) => n + p.count, 0) ?? 0) < POOL) {
    if (Date.now() > deadline) throw new Error(`the pool did not fill to ${POOL} within 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function timeJetty(service, round) {
  const start = performance.now();
  const { name, id } = await service.ensureImage(request);
  const sandbox = await service.create({ image: name, imageId: id, runId: `bench-${round}`, env: { RUN_TOKEN: 'bench' } });
  const result = await sandbox.exec('echo hi');
  const firstOutput = performance.now() - start;
  if (result.stdout !== 'hi\n') throw new Error(`unexpected output ${JSON.stringify(result)}`);
  await sandbox.destroy();
  return { ms: firstOutput, withDestroy: performance.now() - start, adopted: sandbox.adopted };
}

async function timeCli(...command) {
  const start = performance.now();
  const { stdout } = await run('docker', ['run', '--rm', image, ...command]);
  if (stdout !== (command[0] === 'echo' ? 'hi\n' : '')) throw new Error(`unexpected output ${JSON.stringify(stdout)}`);
  return { ms: performance.now() - start };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const targets = {
  'docker run --rm true': () => timeCli('true'),
  'docker run --rm echo hi': () => timeCli('echo', 'hi'),
  'jetty, pool on': (round) => timeJetty(pooled, round),
  'jetty, pool off': (round) => timeJetty(off, round),
};
const names = Object.keys(targets);
const results = Object.fromEntries(names.map((n) => [n, []]));
try {
  // Warm every path once (the first container after an image build is slower); the pool learns the image here.
  for (const n of names) await targets[n]('warm');
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so background load hits every target alike.
    for (const n of names.map((_, i) => names[(i + round) % names.length])) {
      await poolFull();
      results[n].push(await targets[n](round));
    }
    console.log(`round ${round + 1}: ${names.map((n) => `${n} ${results[n].at(-1).ms.toFixed(0)} ms`).join(', ')}`);
  }
  if (!results['jetty, pool on'].every((r) => r.adopted)) throw new Error('a pooled start did not adopt a warm container');
} finally {
  await pooled.close();
  await off.close();
}

const ref = results['docker run --rm true'];
console.log(`\nmedians over ${ROUNDS} rounds (pool of ${POOL}):`);
for (const n of names) {
  const ms = results[n].map((r) => r.ms);
  const ratio = median(ms.map((x, i) => x / ref[i].ms));
  console.log(`  ${n.padEnd(26)} ${median(ms).toFixed(0).padStart(5)} ms  ×${ratio.toFixed(2)} docker run --rm true (per-round median)`);
}
for (const n of ['jetty, pool on', 'jetty, pool off']) console.log(`  ${n} incl. destroy: ${median(results[n].map((r) => r.withDestroy)).toFixed(0)} ms`);
console.log(`  goal: run start → first command output ≤ 100 ms with the pool: ${median(results['jetty, pool on'].map((r) => r.ms)).toFixed(0)} ms`);
