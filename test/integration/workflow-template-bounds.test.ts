/**
 * A document cannot make a step's inputs or outputs balloon: `{{ init_params.a }}` repeated
 * 200,000 times (once 200 MB, 11.8 s of blocked event loop, 1.37 GB resident), the same with
 * text_template, overlapping text_split chunks, a long text_concatenate separator, a path
 * list that names one large value 100,000 times, and a run whose steps together journal
 * past the tree's bound. Each fails its step at once with the bound and the size reached;
 * the event loop is never held long and memory stays put. Real engine, SQLite, local API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stallSampler } from '../helpers/loop-stalls.mjs';
import { memoryLine, settledMemory } from '../helpers/memory';
import { reply } from '../helpers/scripted-model-server';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';

const KB = 'x'.repeat(1000);

let api: WorkflowApi;
let small: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(() => reply('unused'));
  // A tree journal bound of 1,000,000 characters, to reach it with a short run.
  small = await startWorkflowApi(() => reply('unused'), { workflowLimits: { treeJournalChars: 1_000_000 } });
});
afterAll(async () => {
  await api?.close();
  await small?.close();
});

/**
 * Runs a document, measuring the longest event-loop stall (on this process's main thread's
 * CPU: a loaded machine does not count) and memory: what the process holds after collection
 * before and after, and its peak resident set.
 */
async function measured(task: string, workflow: unknown, params: Record<string, unknown> = {}, on = api) {
  const before = await settledMemory();
  const loop = stallSampler();
  try {
    const t = (await on.runSync(task, workflow, params)).json.trajectory as Json;
    const maxStallMs = loop.read().busy;
    return { t, maxStallMs, before, after: await settledMemory() };
  } finally {
    loop.stop();
  }
}

const one = (config: Record<string, unknown>) => ({ step_configs: { big: config }, steps: ['big'] });

describe('bounded template expansion', () => {
  it('{{ init_params.a }} × 200,000 (1 KB each) fails its step at the 4 Mi-character input bound, at once, naming the size reached', async () => {
    // Warmed up first (modules, caches, a document of the same size parsed): the growth measured is the run's.
    await measured('warm-up', one({ activity: 'text_echo', text: '{{ init_params.a }}'.repeat(200_000) }), { a: 'w' });
    const { t, maxStallMs, before, after } = await measured('amplify', one({ activity: 'text_echo', text: '{{ init_params.a }}'.repeat(200_000) }), { a: KB });
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/^step 'big' failed: its resolved inputs pass the bound of 4,194,304 characters: 4,19\d,\d{3} reached at \{\{ init_params\.a \}\}$/);
    expect(t.steps.big.inputs).toEqual({});
    expect(maxStallMs).toBeLessThan(200);
    const memory = memoryLine(before, after);
    console.log(`{{ }} × 200,000: longest stall ${maxStallMs.toFixed(1)} ms, ${memory}`);
    // Nothing kept, and no 200 MB expansion on the way (the unbounded engine peaked at 1.37 GB).
    expect(after.held - before.held, memory).toBeLessThan(64 * 1024 * 1024);
    expect(after.peakRss - before.peakRss, memory).toBeLessThan(256 * 1024 * 1024);
  });

  it('a tiny value repeated 200,000 times stops at the 10,000-expansion bound', async () => {
    const { t } = await measured('many-refs', one({ activity: 'text_echo', text: '{{ init_params.a }}'.repeat(200_000) }), { a: 'y' });
    expect(t.error).toBe("step 'big' failed: its resolved inputs fill more than 10,000 {{ }} references (the bound), the last at {{ init_params.a }}; 10,012 characters so far");
  });

  it('text_template, text_split with overlap and text_concatenate stop at the output bound while they build', async () => {
    const template = await measured('template', one({ activity: 'text_template', template: '{{ v }}'.repeat(200_000), variables: { v: KB } }));
    expect(template.t.error).toMatch(/^step 'big' failed: its outputs pass the bound of 4,194,304 characters: 4,19\d,\d{3} reached at \{\{ v \}\}$/);
    expect(template.maxStallMs).toBeLessThan(200);
    const split = await measured('split', one({ activity: 'text_split', text_path: 'init_params.text', chunk_size: 100_000, overlap: 99_999 }), { text: KB.repeat(1000) });
    expect(split.t.error).toMatch(/^step 'big' failed: its outputs pass the bound of 4,194,304 characters: 4,\d{3},\d{3} reached at chunk 41$/);
    expect(split.maxStallMs).toBeLessThan(200);
    const joined = await measured('concat', one({ activity: 'text_concatenate', texts_path: 'init_params.texts', separator: KB }), { texts: Array.from({ length: 100_000 }, () => 'z') });
    expect(joined.t.error).toMatch(/^step 'big' failed: its outputs pass the bound of 4,194,304 characters: 4,19\d,\d{3} reached at texts\[\d+\]$/);
  });

  it('a path list naming one large value 100,000 times stops at the input bound; what the step reads with paths counts too', async () => {
    const paths = await measured('paths', one({ activity: 'text_concatenate', texts_path: Array.from({ length: 100_000 }, () => 'init_params.a') }), { a: KB });
    expect(paths.t.error).toMatch(/^step 'big' failed: its resolved inputs pass the bound of 4,194,304 characters: 4,19\d,\d{3} reached at texts_path: init_params\.a$/);
    expect(paths.maxStallMs).toBeLessThan(200);
  });

  it("a run whose steps together journal past its tree's bound fails the step that passes it", async () => {
    const names = Array.from({ length: 200 }, (_, i) => `s${i}`);
    const workflow = {
      step_configs: Object.fromEntries(names.map((n, i) => [n, { activity: 'text_echo', text_path: i === 0 ? 'init_params.a' : `${names[i - 1]}.outputs.text` }])),
      steps: names,
    };
    const { t } = await measured('journal', workflow, { a: KB.repeat(10) }, small);
    expect(t.status).toBe('failed');
    // Each step journals its 10,000-character input and output: the bound is reached near step 50.
    const failed = names.find((n) => t.steps[n]?.status === 'failed')!;
    expect(Number(failed.slice(1))).toBeGreaterThan(40);
    expect(Number(failed.slice(1))).toBeLessThan(55);
    expect(t.error).toMatch(new RegExp(`^step '${failed}' failed: its (resolved inputs|outputs) would bring the journal of its workflow tree to 1,00\\d,\\d{3} characters, past the bound of 1,000,000 per root run$`));
  });
});
