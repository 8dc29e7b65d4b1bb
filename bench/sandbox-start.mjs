// Sandbox start: from "run start" to the first command's output — ensureImage on a present
// image + create (container, /app layout, start) + exec `echo hi` returning — vs a bare
// `docker run --rm <same image> echo hi` through the Docker CLI, in the same run.
// Needs Docker and the offline base image (bash .ci/docker.sh).
// Run: node --import tsx bench/sandbox-start.mjs [rounds]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSandboxService } from '../electron/engine/sandbox/index.ts';
import { OFFLINE_BUILD_ARGS, requireDocker } from '../test/helpers/docker.ts';

const ROUNDS = Number(process.argv[2] ?? 7);
const run = promisify(execFile);

const docker = await requireDocker();
// The real python312-uv Dockerfile, built offline on the test base (untimed, once).
const service = createSandboxService({ docker, imageNamespace: 'jetty-bench', buildArgs: OFFLINE_BUILD_ARGS });
const request = { snapshot: 'python312-uv' };
const { name: image, action } = await service.ensureImage(request);
console.log(`image ${image} (${action})`);

async function timeJetty(round) {
  const start = performance.now();
  const { name } = await service.ensureImage(request);
  const sandbox = await service.create({ image: name, runId: `bench-${round}` });
  const result = await sandbox.exec('echo hi');
  const firstOutput = performance.now() - start;
  if (result.stdout !== 'hi\n') throw new Error(`unexpected output ${JSON.stringify(result)}`);
  await sandbox.destroy();
  return { firstOutput, withDestroy: performance.now() - start };
}

async function timeCli() {
  const start = performance.now();
  const { stdout } = await run('docker', ['run', '--rm', image, 'echo', 'hi']);
  if (stdout !== 'hi\n') throw new Error(`unexpected output ${JSON.stringify(stdout)}`);
  return performance.now() - start;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Warm both paths once (first container start after an image build is slower).
await timeJetty('warm');
await timeCli();

const jetty = [];
const jettyWithDestroy = [];
const cli = [];
const ratios = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so background load hits both sides alike.
  let ours;
  let theirs;
  if (round % 2 === 0) {
    ours = await timeJetty(round);
    theirs = await timeCli();
  } else {
    theirs = await timeCli();
    ours = await timeJetty(round);
  }
  jetty.push(ours.firstOutput);
  jettyWithDestroy.push(ours.withDestroy);
  cli.push(theirs);
  ratios.push(ours.firstOutput / theirs);
  console.log(
    `round ${round + 1}: jetty ${ours.firstOutput.toFixed(0)} ms (with destroy ${ours.withDestroy.toFixed(0)} ms), ` +
      `docker run ${theirs.toFixed(0)} ms, ratio ${(ours.firstOutput / theirs).toFixed(2)}`,
  );
}

await service.close();
console.log(`\nmedians over ${ROUNDS} rounds:`);
console.log(`  jetty start → first output: ${median(jetty).toFixed(0)} ms`);
console.log(`  jetty incl. destroy:        ${median(jettyWithDestroy).toFixed(0)} ms`);
console.log(`  docker run --rm echo hi:    ${median(cli).toFixed(0)} ms`);
console.log(`  ratio (per-round median):   ${median(ratios).toFixed(2)}x   (goal ≤ 1.5x)`);
console.log(`  ratio of medians:           ${(median(jetty) / median(cli)).toFixed(2)}x`);
