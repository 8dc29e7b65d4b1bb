// CLI start-up: `jetty --version`, `jetty lint` of one runbook and `jetty run --help` (which
// loads what a run loads before its first step: the run command, the sandbox service and the
// Docker client), each as a fresh process through bin/jetty.mjs (the built bundle in out/, as
// `npx jetty` runs it), against a bare `node -e ''` measured in the same rounds. A whole
// `jetty run` is timed by bench/run-sync.mjs. Build first: npm run build.
// Usage: node bench/cli-start.mjs [rounds=21]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rounds = Math.min(Math.max(Number(process.argv[2] ?? 21), 1), 200);
const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}out/main/cli.js`)) {
  console.error('bench/cli-start: out/main/cli.js is missing; run `npm run build` first.');
  process.exit(2);
}

const targets = {
  'node -e ""': ['-e', ''],
  'jetty --version': ['bin/jetty.mjs', '--version'],
  'jetty lint (1 runbook)': ['bin/jetty.mjs', 'lint', 'test/fixtures/runbooks/clean/RUNBOOK.md'],
  'jetty lint examples/': ['bin/jetty.mjs', 'lint', 'resources/examples'],
  'jetty run --help': ['bin/jetty.mjs', 'run', '--help'],
};

/** Wall-clock ms of one fresh process; a failed start is a failed benchmark. */
function once(args) {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore', timeout: 30_000 });
  const ms = performance.now() - start;
  if (child.error || (child.status !== 0 && child.status !== 1)) {
    throw new Error(`node ${args.join(' ')}: ${child.error?.message ?? `exit ${child.status}`}`);
  }
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(targets);
const times = Object.fromEntries(names.map((n) => [n, []]));
for (const n of names) once(targets[n]); // warm the file cache
for (let r = 0; r < rounds; r++) {
  // Alternate the order so no target always runs right after another.
  for (const n of r % 2 === 0 ? names : [...names].reverse()) times[n].push(once(targets[n]));
}

const base = times[names[0]];
console.log(`${rounds} rounds, Node ${process.version}`);
for (const n of names) {
  const perRound = times[n].map((ms, i) => ms / base[i]);
  console.log(
    `${n.padEnd(24)} median ${median(times[n]).toFixed(1).padStart(6)} ms   ×${median(perRound).toFixed(2)} node (per-round median)`,
  );
}
