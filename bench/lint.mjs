// Runbook linter throughput: the whole corpus parsed + linted (warm), and re-linting a
// generated 2,000-line runbook after a one-line edit. Reference measured in the same run:
// gray-matter alone on the same texts (the YAML parse every linter must do).
// Usage: node --import tsx bench/lint.mjs [rounds=15]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { analyzeRunbookText } from '../electron/engine/runbook/index.ts';
import { findRunbooks } from '../electron/engine/workspace/find-runbooks.ts';

const rounds = Number(process.argv[2] ?? 15);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = path.resolve(repoRoot, '../shared/corpus/runbooks');
const root = existsSync(corpusDir) ? corpusDir : path.join(repoRoot, 'resources/examples');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn) {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
/** Median ms of `fn` over `rounds`, after 3 warm-up calls. */
function measure(fn) {
  for (let i = 0; i < 3; i++) fn();
  return median(Array.from({ length: rounds }, () => time(fn)));
}

const files = await findRunbooks(root);
const inputs = files.map((file) => {
  const manifest = path.join(path.dirname(file), 'manifest.json');
  return { path: file, text: readFileSync(file, 'utf8'), manifest: existsSync(manifest) ? readFileSync(manifest, 'utf8') : undefined };
});
const lines = inputs.reduce((n, i) => n + i.text.split('\n').length, 0);

const corpusOurs = measure(() => inputs.forEach((i) => analyzeRunbookText(i.text, { path: i.path, manifest: i.manifest })));
const corpusRef = measure(() => inputs.forEach((i) => matter(i.text, {})));

// A 2,000-line runbook: frontmatter, a parameters table, many steps with code blocks.
const head = readFileSync(path.join(repoRoot, 'test/fixtures/runbooks/clean/RUNBOOK.md'), 'utf8');
const body = [];
for (let step = 4; body.length < 2000 - head.split('\n').length; step++) {
  body.push(`## Step ${step}: Process part ${step}`, '', `Work on {{city}} in {{units}} for part ${step}.`, '', '```bash', `echo "part ${step}" >> {{results_dir}}/log.txt`, '# not a heading', '```', '');
}
const big = `${head}\n${body.join('\n')}`;
const bigLines = big.split('\n');
const editAt = Math.floor(bigLines.length / 2);
let flip = false;
const edited = () => {
  flip = !flip;
  const copy = [...bigLines];
  copy[editAt] = flip ? `${copy[editAt]} edited` : copy[editAt];
  return copy.join('\n');
};
const relintOurs = measure(() => analyzeRunbookText(edited(), { path: 'RUNBOOK.md' }));
const relintRef = measure(() => matter(edited(), {}));

const fmt = (ms) => `${ms.toFixed(2)} ms`;
console.log(`corpus: ${files.length} runbooks, ${lines} lines (${root})`);
console.log(`  lint all: ${fmt(corpusOurs)}  → ${Math.round((files.length / corpusOurs) * 1000)} runbooks/s  (goal < 100 ms)`);
console.log(`  gray-matter only: ${fmt(corpusRef)}  → lint/gray-matter ratio ${(corpusOurs / corpusRef).toFixed(2)}`);
console.log(`re-lint after a one-line edit: ${bigLines.length} lines`);
console.log(`  lint: ${fmt(relintOurs)}  (goal < 20 ms)`);
console.log(`  gray-matter only: ${fmt(relintRef)}  → ratio ${(relintOurs / relintRef).toFixed(2)}`);
