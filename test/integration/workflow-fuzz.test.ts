/**
 * Random workflow documents run over REST against the built `jetty serve` (`npm run build`
 * first), with the scripted model server as every provider: random step graphs of every
 * kind of step (text, model, image, vision, Replicate, branches, fan-outs to a leaf, to
 * itself, to nothing), path expressions good and bad, templates repeated up to 200,000
 * times, values up to 100,000 characters, file references to host files. After each: the
 * process is alive, its event loop was never held more than 200 ms of CPU time (a timer
 * inside it, test/helpers/loop-sampler.mjs: wall-clock lateness, less what a loaded machine
 * adds by not scheduling the process), every failure is a clear error; at the end what it
 * holds is back near its baseline and its peak memory was bounded, nothing was written
 * outside its data folder, no secret or host file reached the provider, and nothing is left
 * running. FUZZ_SEED replays a run (its seed is printed at the end); FUZZ_RUNS and
 * FUZZ_TIME_MS make it longer.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLine } from '../helpers/memory';
import { reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { startJettyServe, type ServedJetty } from '../helpers/serve';
import { scriptedProviderEnv, type Json } from '../helpers/workflow-engine';

const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_MS ?? 50_000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** The longest the served process's event loop may be held by one document. */
const MAX_STALL_MS = 200;
/**
 * How far what the process holds after a full garbage collection (the JavaScript heap in use
 * and the memory its objects hold outside it, buffers among them) may stay above the
 * warmed-up baseline: what the engine would leak.
 */
const HELD_SLACK_BYTES = 24 * 1024 * 1024;
/**
 * The most resident memory the process may reach, at its peak, over every document. Not
 * compared with the baseline after the run: a fan-out of 32 live children with 4 Mi-character
 * steps (the limits) peaks at a few hundred MiB, and the C allocator keeps the pages it freed
 * (measured: 288 → 615 MiB resident after one such document, heap and buffers back to their
 * baseline, flat over the next hundred documents), which is no leak.
 */
const PEAK_RESIDENT_BYTES = 1024 * 1024 * 1024;
const SAMPLER = path.resolve(import.meta.dirname, '../helpers/loop-sampler.mjs');

// ---- the documents ----

type Config = Record<string, unknown>;
/**
 * A step config made knowing the earlier steps' names. `$SELF` stands for the document's own
 * task and `$DATA` for the served process's data folder (filled in when the task is created).
 */
type StepMaker = (earlier: string[]) => fc.Arbitrary<Config>;

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const earlierOr = (earlier: string[], other: string) => (earlier.length > 0 ? pick(earlier) : fc.constant(other));

/** A path expression: mostly good ones, some that name nothing, some that are not paths. */
const pathOf = (earlier: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: pick(['init_params.a', 'init_params.small', 'init_params.list', 'init_params.list[*]', 'init_params.list[1]', 'init_params.nested.deep[0].x']) },
    { weight: 4, arbitrary: earlierOr(earlier, 'missing').chain((s) => pick([`${s}.outputs.text`, `${s}.outputs.chunks`, `${s}.outputs`, `${s}.inputs`, `${s}.outputs.images[0].path`])) },
    { weight: 1, arbitrary: pick(['init_params.nope', 'ghost.outputs.text', 'init_params..a', 'x', '', 'init_params.list[', 'init_params.list[99]']) },
  );

/** Template text: literals, references repeated up to 200,000 times, unclosed braces, spaces, placeholders. */
const templateOf = (earlier: string[]) =>
  fc
    .array(
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.tuple(pathOf(earlier), pick([1, 2, 10, 1000, 20_000, 200_000])).map(([p, n]) => `{{ ${p} }}`.repeat(n)),
        pick(['{{', '}}', '{{ name }}', `{{${' '.repeat(5000)}`, '{{ init_params.a }', '{{{ init_params.small }}}']),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => parts.join(''));

const STEPS: Record<string, StepMaker> = {
  text_echo: (e) => fc.oneof(templateOf(e).map((text) => ({ text })), pathOf(e).map((p) => ({ text_path: p }))),
  text_template: (e) =>
    fc.record({ template: fc.tuple(pick(['{{ v }}', '{{ w }}', 'x']), pick([1, 5, 200_000])).map(([t, n]) => t.repeat(n)), variables: fc.record({ v: fc.oneof(fc.string({ maxLength: 10 }), templateOf(e)) }) }),
  text_concatenate: (e) =>
    fc.record({ texts_path: fc.array(pathOf(e), { minLength: 1, maxLength: 3 }).chain((ps) => pick([1, 10, 50_000]).map((n) => Array.from({ length: n }, (_, i) => ps[i % ps.length]))), separator: pick(['\n', '', 'x'.repeat(1000)]) }),
  text_split: (e) => fc.record({ text_path: pathOf(e), chunk_size: fc.integer({ min: 1, max: 100_000 }), overlap: fc.integer({ min: 0, max: 100_000 }) }),
  conditional_branch: (e) => fc.record({ condition_path: pathOf(e), true_step: pick(['later1', 'later2', 'nowhere']), false_step: pick(['later1', 'later2']) }),
  list_emit_await: (e) =>
    fc.record({
      items_path: fc.oneof(pathOf(e), fc.constant('init_params.list')),
      child_workflow_name: pick(['wf/leaf', 'wf/$SELF', 'wf/missing', 'not-a-task']),
      max_concurrency: fc.integer({ min: 1, max: 64 }),
      continue_on_error: fc.boolean(),
    }),
  extract_from_trajectories: (e) => fc.record({ trajectory_ids_path: earlierOr(e, 'x').map((s) => `${s}.outputs.trajectory_ids`), extract_paths: fc.constant(['echo.outputs.text']) }),
  litellm_chat: (e) => fc.record({ model: fc.constant('openai/scripted'), prompt: templateOf(e), retries: fc.constant(0) }),
  litellm_vision: (e) =>
    fc.record({
      model: fc.constant('openai/scripted'),
      prompt: fc.constant('what is this'),
      retries: fc.constant(0),
      image: fc.oneof(
        pick(['/etc/passwd', '$DATA/secrets/secrets.key', '../secrets/secrets.key', 'wf/outputs/x/../../../jetty.db', '$DATA/jetty.db']).map((p) => ({ image_path_expr: p })),
        pathOf(e).map((p) => ({ image_path: p })),
      ),
    }).map(({ image, ...rest }) => ({ ...rest, ...image })),
  litellm_image_generation: () => fc.record({ model: fc.constant('dall-e-3'), prompt: fc.constant('A sunset') }),
  replicate_text2image: () => fc.record({ model: fc.constant('black-forest-labs/flux-schnell'), prompt: fc.constant('a cat'), retries: fc.constant(0) }),
};

/** A document: 1–5 steps of random kinds, then the two steps branches may jump to. */
const documents = fc.array(pick(Object.keys(STEPS)), { minLength: 1, maxLength: 5 }).chain((kinds) => {
    const names = kinds.map((_, i) => `s${i}`);
    const configs = kinds.map((kind, i) => STEPS[kind](names.slice(0, i)).map((c) => ({ activity: kind, ...c })));
    return fc.tuple(...configs).map((list) => {
      const step_configs: Record<string, Config> = Object.fromEntries(list.map((c, i) => [names[i], c]));
      step_configs.later1 = { activity: 'text_echo', text: 'one' };
      step_configs.later2 = { activity: 'text_echo', text: 'two' };
      return { init_params: { a: 'x', small: 's', list: [1, 2, 3], nested: { deep: [{ x: 1 }] } }, step_configs, steps: [...names, 'later1', 'later2'] };
    });
  });

/** A run's parameters: values from empty to 100,000 characters, lists up to 6 items (a fan-out to itself stays small). */
const initParams = fc.record({
  a: fc.oneof(fc.string({ maxLength: 10 }), pick([0, 1000, 100_000]).map((n) => 'a'.repeat(n))),
  list: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 6 }),
});

// ---- the served process ----

let model: ScriptedModelServer;
let served: ServedJetty;
let sandbox: string;
let samplerFile: string;
/** Folders the served process may not write to: its home, its temp folder, its working folder, the folder it serves. */
let outside: string[];

beforeAll(async () => {
  model = await startScriptedModelServer((r: ChatRequest) => reply(`ok ${JSON.stringify(r.messages.at(-1)?.content ?? null).slice(0, 20)}`));
  sandbox = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-fuzz-'));
  outside = ['home', 'tmp', 'cwd', 'folder'].map((d) => path.join(sandbox, d));
  for (const d of outside) mkdirSync(d, { recursive: true });
  samplerFile = path.join(sandbox, 'loop.txt');
  served = await startJettyServe(path.join(sandbox, 'folder'), {
    dataDir: path.join(sandbox, 'data'),
    cwd: path.join(sandbox, 'cwd'),
    env: { ...scriptedProviderEnv(model), HOME: outside[0], TMPDIR: outside[1], NODE_OPTIONS: `--import=${SAMPLER}`, JETTY_LOOP_SAMPLER_FILE: samplerFile },
  });
});

afterAll(async () => {
  await served?.stop();
  await model?.close();
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

const api = async (method: string, pathname: string, body?: unknown, form?: FormData): Promise<{ status: number; json: Json }> => {
  const res = await fetch(`${served.origin}/api/v1${pathname}`, {
    method,
    headers: { authorization: `Bearer ${served.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, json: await res.json() };
};

/**
 * The served process's sampler: the longest its event loop was held on the CPU (busy) and in
 * wall-clock time (late, which a loaded machine adds to), and its memory after the last collection.
 */
const sampled = () => {
  const [generation, busy, late, rss, heapUsed, external, peakRss] = readFileSync(samplerFile, 'utf8').split(' ').map(Number);
  return { generation, busy, late, rss, held: heapUsed + external, peakRss };
};

/** Every file under a folder with its size and change time. */
async function snapshot(folder: string): Promise<string[]> {
  const names = await readdir(folder, { recursive: true });
  return Promise.all(names.sort().map(async (n) => `${n} ${(await stat(path.join(folder, n))).size} ${(await stat(path.join(folder, n))).mtimeMs}`));
}

/** What a clear error is: one line that names what failed, no stack, no host path of the process's own folders, nothing undefined. */
function checkClear(error: unknown, where: string) {
  expect(typeof error, where).toBe('string');
  const text = error as string;
  expect(text.length, where).toBeGreaterThan(0);
  expect(text, where).not.toMatch(/\n\s+at |\[object Object\]|\bundefined\b|TypeError|ReferenceError|Cannot read propert/);
  expect(text, where).not.toContain(served.dataDir + path.sep + 'files');
  expect(text, where).not.toContain(outside[0]);
}

let tasks = 0;
/** Creates a task from the document and runs it to its end over REST; checks the answer. */
async function runDocument(generated: Json, params: Json): Promise<string> {
  const task = `fz${++tasks}`;
  const document = JSON.parse(JSON.stringify(generated).replaceAll('$SELF', task).replaceAll('$DATA', served.dataDir));
  const created = await api('POST', '/tasks/wf', { name: task, workflow: document });
  if (created.status !== 201) {
    // 422: an invalid document (its issues named); 413: one past the size a task body may have.
    expect([413, 422], JSON.stringify(created.json).slice(0, 500)).toContain(created.status);
    checkClear(created.json.error?.message, `creating ${task}`);
    return 'invalid';
  }
  const form = new FormData();
  form.set('init_params', JSON.stringify(params));
  const ran = await api('POST', `/run-sync/wf/${task}`, undefined, form);
  if (ran.status !== 200) {
    expect(ran.status, JSON.stringify(ran.json).slice(0, 500)).toBe(422);
    checkClear(ran.json.error?.message, `running ${task}`);
    return 'refused';
  }
  expect(['completed', 'failed'], JSON.stringify(ran.json).slice(0, 500)).toContain(ran.json.status);
  if (ran.json.status === 'failed') checkClear(ran.json.error, `${task}: ${JSON.stringify(document).slice(0, 300)}`);
  return ran.json.status;
}

describe('workflow documents as untrusted programs, at random, against jetty serve', () => {
  it(`random documents (≤ ${RUNS}, ≤ ${TIME_LIMIT_MS / 1000} s): the process lives, the loop is never held > ${MAX_STALL_MS} ms, errors are clear, memory returns, nothing is written outside its data folder`, async () => {
    await api('POST', '/collections/', { name: 'wf' });
    expect((await api('POST', '/tasks/wf', { name: 'leaf', workflow: { step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.item' } }, steps: ['echo'] } })).status).toBe(201);
    const run = fc.record({ document: documents, params: initParams });
    // Warm up (code compiled, caches filled) before the baselines are taken.
    for (const sample of fc.sample(run, { numRuns: 20, seed: 7 })) await runDocument(sample.document, sample.params);
    /** Collects garbage in the served process and starts a new sampling generation; waits until it shows. */
    const resetSampler = async () => {
      const next = sampled().generation + 1;
      served.child.kill('SIGUSR2');
      await expect.poll(() => sampled().generation, { timeout: 5_000, interval: 5 }).toBe(next);
    };
    await resetSampler();
    const baseline = sampled();
    const before = await Promise.all(outside.map(snapshot));

    // FUZZ_SEED replays a run (its seed is printed at the end).
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const outcomes = new Map<string, number>();
    /** Each document's longest stall: checked at the end, the worst listed (a stall is the process's, not the one document's alone: a collection may land in the next one). */
    const stalls: { busy: number; late: number; document: string }[] = [];
    await fc.assert(
      fc.asyncProperty(run, async ({ document: doc, params }) => {
        await resetSampler();
        const outcome = await runDocument(doc, params);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        expect(served.child.exitCode, served.output().slice(-2000)).toBeNull();
        const { busy, late } = sampled();
        stalls.push({ busy, late, document: `${outcome}: ${JSON.stringify({ doc, params }).slice(0, 600)}` });
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, seed },
    );

    stalls.sort((a, b) => b.busy - a.busy);
    const worst = stalls[0];
    console.log(`workflow fuzz: the longest stalls:\n${stalls.slice(0, 5).map((w) => `${w.busy} ms busy, ${w.late} ms late: ${w.document}`).join('\n')}`);
    expect(worst.busy, `event loop held ${worst.busy} ms (${worst.late} ms wall clock) during ${worst.document}`).toBeLessThan(MAX_STALL_MS);
    const stats = (await api('GET', '/db/stats/wf/leaf')).json;
    expect(stats.by_status.running).toBe(0);
    expect((await fetch(`${served.origin}/api/health`, { headers: { authorization: `Bearer ${served.token}` } })).status).toBe(200);
    // What the process holds after a full collection is back near the baseline (measured the same way); its peak was bounded.
    await resetSampler();
    const after = sampled();
    const memory = memoryLine(baseline, after);
    expect(after.held, memory).toBeLessThan(baseline.held + HELD_SLACK_BYTES);
    expect(after.peakRss, memory).toBeLessThan(PEAK_RESIDENT_BYTES);
    expect(await Promise.all(outside.map(snapshot))).toEqual(before);
    // No host file, no secret key, reached the provider.
    const sent = model.requests.map((r) => JSON.stringify(r.body)).join('\n');
    expect(sent).not.toContain(readFileSync(path.join(served.dataDir, 'secrets', 'secrets.key')).toString('base64'));
    expect(sent).not.toContain(readFileSync('/etc/passwd').toString('base64').slice(0, 40));
    console.log(
      `workflow fuzz: ${[...outcomes.values()].reduce((a, b) => a + b, 0)} documents (${JSON.stringify(Object.fromEntries(outcomes))}), longest event-loop stall ${worst.busy} ms on the CPU (${worst.late} ms wall clock on this machine), ${memory}, seed ${seed}`,
    );
  });
});
