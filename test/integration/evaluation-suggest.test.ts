// "Suggest fixes" in real Docker against the scripted model: a hello-report runbook whose
// trials fail unless RUNBOOK.md says a phrase (the scripted agent model sees the runbook in
// its prompt) is evaluated, 1 cell × 2 trials → both fail. The analysis request (the one
// offering `propose_edits`) is answered with an edit adding the phrase, a harmless edit and
// one that is refused (its find is not in the text, then its evidence cites a step that does
// not exist) — fed back twice, then dropped. Each kept edit is evaluated: before/after pass^k
// exactly as the model made them. Applying writes RUNBOOK.md; after the file changed, a
// conflict. A set a dead process left analysing is failed "interrupted" at the next start.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuggestionSet } from '../../shared/evaluation-suggestions';
import { createEngine, type Engine } from '../../electron/engine/api';
import { contentHash, defineEvaluation } from '../../electron/engine/evaluations/definition';
import { writeEditedCopy } from '../../electron/engine/evaluations/suggestions/scratch';
import { EvaluationRequestSchema } from '../../shared/evaluations';
import { PROMPT_BOUND } from '../../electron/engine/evaluations/suggestions/analysis';
import { jetty, requireBuiltCli } from '../helpers/cli';
import { createLocalServer } from '../../electron/engine/server/local-server';
import { openStore, processOwnerToken } from '../../electron/engine/store';
import { removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { contentText, NO_SUCH_STEP, OBJECTIVE, OUTPUT_LINES, PHRASE, SUGGEST_MODEL, suggestModel } from '../helpers/suggest-model';

const EXAMPLES = path.resolve(import.meta.dirname, '../../resources/examples');
const MODEL = SUGGEST_MODEL;
const text = contentText;
const { script, analysisPrompts } = suggestModel();

describe('suggest fixes in real Docker', () => {
  let docker: Docker;
  let dataDir: string;
  let folder: string;
  let runbook: string;
  let model: ScriptedModelServer;
  let engine: Engine;
  let staleSet: string;

  beforeAll(async () => {
    docker = await requireDocker();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-suggest-'));
    folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-suggest-book-'));
    await cp(path.join(EXAMPLES, 'demo/hello-report'), path.join(folder, 'demo/hello-report'), { recursive: true });
    runbook = path.join(folder, 'demo/hello-report/RUNBOOK.md');
    // A set a dead process (this pid under another token) left analysing.
    const store = openStore(path.join(dataDir, 'jetty.db'));
    const dead = processOwnerToken().replace(/^([^:]*:[^:]*:)[^:]*/, '$1deadbeef');
    const evaluation = store.evaluations().create(
      { name: 'old', runbook_path: runbook, collection: 'demo', task: 'hello-report', content_hash: 'a'.repeat(64), version: null, cells: [], cases: [], trials: 1, concurrency: { local: 1, remote: 1 }, timeout_seconds: null, owner: dead },
      [],
    );
    store.evaluations().finish(evaluation, 'completed');
    staleSet = store.suggestions().create({ evaluation_id: evaluation, model: MODEL, runbook_hash: 'a'.repeat(64), owner: dead });
    store.close();
    model = await startScriptedModelServer(script);
    engine = await createEngine({ dataDir, folders: [folder], env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
  });
  afterAll(async () => {
    await engine?.close();
    await model?.close();
    if (docker) await removeTestContainers(docker);
    for (const dir of [dataDir, folder]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('an analysis a dead process left is failed as interrupted at the next start', () => {
    expect(engine.services.store.suggestions().get(staleSet)).toMatchObject({ state: 'failed', error: expect.stringMatching(/^interrupted: /) as unknown });
  });

  let set: SuggestionSet;
  let failedRuns: string[];

  it('proposes edits citing the failed trials’ steps, evaluates each, and offers them with their before/after pass^k', async () => {
    const { id } = await engine.api['evaluation.start']({ runbookPath: runbook, name: 'hello', cells: [{ model: MODEL }], trials: 2, concurrency: { local: 2 } });
    await engine.evaluations.wait(id);
    const report = await engine.api['evaluation.get']({ id });
    expect(report.cells[0]).toMatchObject({ trials: 2, passed: 0, pass_hat_k: { 2: 0 } });
    failedRuns = report.trials.map((t) => t.trajectory_id!);

    const started = await engine.api['evaluation.suggest']({ id });
    await engine.suggestions.wait(started.set);
    [set] = await engine.api['evaluation.suggestions']({ id });
    expect(set).toMatchObject({ id: started.set, evaluation_id: id, state: 'ready', error: null, model: MODEL, runbook_hash: report.evaluation.content_hash, trials_per_edit: 2 });

    // The analysis: three turns (two refusals fed back), its prompt citing both failed runs' steps, within its bound.
    expect(analysisPrompts).toHaveLength(3);
    const first = text(analysisPrompts[0].messages[1].content);
    for (const run of failedRuns) expect(first).toMatch(new RegExp(`### Trial run ${run}: cell "default agent / ${MODEL}", case "default", trial \\d\\nOutcome: failed \\(verdict\\): .*\\nFailed stage: line_count fail: expected 3 lines, found 2\\nSteps:\\n(.*\\n)*\\[step \\d+\\] tool_call bash \\{"command":"mkdir -p /app/results && seq 1 ${OUTPUT_LINES}"\\}\\n\\[step \\d+\\] tool_result bash: .*\\[\\d+ more chars\\]\\n`));
    expect(first).toContain(`<runbook>\n${await readFile(runbook, 'utf8')}\n</runbook>`);
    for (const prompt of analysisPrompts) expect(Buffer.byteLength(JSON.stringify(prompt.messages))).toBeLessThanOrEqual(PROMPT_BOUND);
    expect(text(analysisPrompts[1].messages.at(-1)!.content)).toContain('suggestion 3 ("Stop on the first error"): find does not occur in RUNBOOK.md');
    expect(text(analysisPrompts[2].messages.at(-1)!.content)).toContain(`suggestion 1 ("Stop on the first error"): evidence ${failedRuns[0]}: it has no step ${NO_SUCH_STEP}`);

    const [fix, harmless, dropped, ...rest] = set.suggestions;
    expect(rest).toEqual([]);
    const cell = (before: number, after: number, movement: string) => ({
      label: `default agent / ${MODEL}`,
      k: 2,
      before: { trials: 2, passed: before, pass_rate: before / 2, pass_hat_k: before === 2 ? 1 : 0 },
      after: { trials: 2, passed: after, pass_rate: after / 2, pass_hat_k: after === 2 ? 1 : 0 },
      movement,
    });
    expect(fix).toMatchObject({ number: 1, state: 'evaluated', lens: 'consistent_failures', title: 'Say how many lines', verdict: 'improved', cells: [cell(0, 2, 'up')], reason: null });
    expect(fix.evidence[0].trajectory_id).toBe(failedRuns[0]);
    expect(harmless).toMatchObject({ number: 2, state: 'evaluated', verdict: 'unchanged', cells: [cell(0, 0, 'same')] });
    expect(dropped).toMatchObject({ number: 3, state: 'dropped', title: 'Stop on the first error', verdict: null, reevaluation_id: null, reason: `evidence ${failedRuns[0]}: it has no step ${NO_SUCH_STEP}` });

    // Each edit's evaluation is an ordinary evaluation of the edited text, listed under the runbook.
    const again = await engine.api['evaluation.get']({ id: fix.reevaluation_id! });
    expect(again.evaluation).toMatchObject({ name: 'hello · suggestion 1', collection: 'demo', task: 'hello-report', status: 'completed', content_hash: fix.edited_hash, trials: 2 });
    // Each says what it is: the dashboard lists it under the evaluation it was suggested for, and charts the runbook's own only.
    const listed = await engine.api['evaluation.list']({ limit: 50 });
    expect(listed.filter((e) => e.suggestion_of?.evaluation_id === id).map((e) => [e.id, e.suggestion_of?.number]).sort()).toEqual([
      [fix.reevaluation_id, 1],
      [harmless.reevaluation_id, 2],
    ].sort());
    expect(listed.find((e) => e.id === id)?.suggestion_of).toBeNull();
    // Its runs per day are the runbook's: the two trials of its evaluation, not the edited copies' four.
    const { runs } = await engine.api['evaluation.dashboard']({ collection: 'demo', task: 'hello-report', days: 1 });
    expect(runs.reduce((n, day) => n + day.runs, 0)).toBe(2);
    expect(again.evaluation.content_hash).toBe(contentHash((await readFile(runbook, 'utf8')).replace(OBJECTIVE, `${OBJECTIVE}\n\n${PHRASE}`)));
    // The edited copies are gone once evaluated.
    expect(await readdir(path.join(dataDir, 'suggestions')).catch(() => [])).toEqual([]);
  }, 120_000);

  it('a set a dead process left evaluating is resumed at the next start: the evaluation its crash left adopted, the edit never started evaluated, the set ready', async () => {
    const store = engine.services.store;
    const [fix, harmless] = set.suggestions;
    const dead = processOwnerToken().replace(/^([^:]*:[^:]*:)[^:]*/, '$1deadbeef');
    const left = store.suggestions().create({ evaluation_id: set.evaluation_id, model: MODEL, runbook_hash: set.runbook_hash, owner: dead });
    store.suggestions().analysed(left, [fix, harmless].map((s) => ({ ...s, edited_hash: s.edited_hash! })), []);
    // The crash came after edit 1's evaluation was stored (its copy written, nothing run) and before its id was committed.
    const copy = await writeEditedCopy(dataDir, left, 1, runbook, (await readFile(runbook, 'utf8')).replace(OBJECTIVE, `${OBJECTIVE}\n\n${PHRASE}`));
    const { evaluation, slots } = await defineEvaluation(EvaluationRequestSchema.parse({ runbookPath: copy, name: 'left', cells: [{ model: MODEL }], trials: 2, concurrency: { local: 2 } }), dead);
    const orphan = store.evaluations().create(evaluation, slots);
    expect(store.suggestions().get(left)).toMatchObject({ state: 'evaluating' });
    await engine.close();
    engine = await createEngine({ dataDir, folders: [folder], env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
    await engine.suggestions.wait(left);
    expect(engine.suggestions.get(left)).toMatchObject({
      state: 'ready',
      suggestions: [
        { number: 1, state: 'evaluated', verdict: 'improved', cells: fix.cells, reevaluation_id: orphan },
        { number: 2, state: 'evaluated', verdict: 'unchanged', cells: harmless.cells },
      ],
    });
    expect((await engine.api['evaluation.list']({ limit: 50 })).filter((e) => e.runbook_path === copy).map((e) => e.id)).toEqual([orphan]);
    expect(analysisPrompts).toHaveLength(3);
  }, 60_000);

  it('applies an evaluated edit to RUNBOOK.md; after the file changed, refuses with a conflict', async () => {
    await expect(engine.api['evaluation.applySuggestion']({ set: set.id, number: 3 })).rejects.toThrow(/^suggestion 3 was dropped: evidence/);
    const applied = await engine.api['evaluation.applySuggestion']({ set: set.id, number: 1 });
    expect(applied.path).toBe(runbook);
    const now = await readFile(runbook, 'utf8');
    expect(now).toContain(`${OBJECTIVE}\n\n${PHRASE}`);
    expect(contentHash(now)).toBe(applied.hash);
    await expect(engine.api['evaluation.applySuggestion']({ set: set.id, number: 2 })).rejects.toThrow(/^RUNBOOK\.md changed since it was evaluated \(sha256 [0-9a-f]{12}…, now [0-9a-f]{12}…\): the edit was not applied/);
    expect(await readFile(runbook, 'utf8')).toBe(now);
  });

  it('over REST: GET lists the sets with their figures; POST after RUNBOOK.md changed answers 409; cancel is reached', async () => {
    const server = await createLocalServer({ engine, token: 'suggest-token', staticDir: null, routes: engine.routes });
    try {
      const call = (method: string, pathname: string) =>
        fetch(`${server.origin}/api/v1/evaluations/${pathname}`, { method, headers: { authorization: 'Bearer suggest-token', 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      // The routes of one evaluation are not taken for the start of an evaluation of task 'cancel' of collection '<id>'.
      const cancel = await call('POST', `${set.evaluation_id}/cancel`);
      expect(cancel.status, await cancel.clone().text()).toBe(200);
      expect(await cancel.json()).toEqual({ cancelled: false });
      const listed = await call('GET', `${set.evaluation_id}/suggestions`);
      expect(listed.status).toBe(200);
      const { sets } = (await listed.json()) as { sets: SuggestionSet[] };
      expect(sets.map((s) => s.state)).toEqual(['ready', 'ready']);
      expect(sets.find((s) => s.id === set.id)!.suggestions[0]).toMatchObject({ verdict: 'improved', cells: set.suggestions[0].cells });
      const refused = await call('POST', `${set.evaluation_id}/suggestions`);
      expect(refused.status, await refused.clone().text()).toBe(409);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^RUNBOOK\.md changed since it was evaluated/);
      expect((await call('GET', 'nothex!/suggestions')).status).toBe(422);
    } finally {
      await server.close();
    }
  });

  it('jetty eval --suggest --json: the figures, then the suggested fixes with their before/after pass^k; the exit code is the gate’s', async () => {
    await requireBuiltCli();
    const copy = path.join(folder, 'cli/demo/hello-report');
    await cp(path.join(EXAMPLES, 'demo/hello-report'), copy, { recursive: true });
    const env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE };
    const { code, stdout, stderr } = await jetty(['eval', path.join(copy, 'RUNBOOK.md'), '--repeat', '2', '--model', MODEL, '--suggest', '--json', '--data-dir', path.join(dataDir, 'cli')], env);
    expect(code, stderr).toBe(1);
    const document = JSON.parse(stdout) as { cells: { passed: number }[]; suggestions: SuggestionSet; gate: { holds: boolean } };
    expect(document.gate.holds).toBe(false);
    expect(document.cells[0].passed).toBe(0);
    expect(document.suggestions).toMatchObject({ state: 'ready', model: MODEL });
    expect(document.suggestions.suggestions.map((s) => `${s.number} ${s.state} ${s.verdict}`)).toEqual(['1 evaluated improved', '2 evaluated unchanged', '3 dropped null']);
    expect(document.suggestions.suggestions[0].cells[0]).toMatchObject({ k: 2, before: { pass_hat_k: 0 }, after: { pass_hat_k: 1 }, movement: 'up' });
    expect(stderr).toContain('Suggesting fixes: analysing the failed trials, then evaluating each edit…');
  }, 120_000);
});
