import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SCORING_RULE } from '../../../shared/evaluation-stats';
import { EVALUATION_LIMITS, EvaluationCaseSchema, type EvaluationCell, type EvaluationReport, type Executor } from '../../../shared/evaluations';
import { ImageNameSchema } from '../../../shared/images';
import { createEngine, type Engine } from '../../engine/api';
import { resolveDataDir } from '../../engine/base/data-dir';
import { ctrfReport, evaluationReport, EvaluationRequestError, junitXml, SuggestionError } from '../../engine/evaluations';
import type { SuggestionSet } from '../../../shared/evaluation-suggestions';
import type { Command } from '../command';
import { cellJson, gateVerdict, suggestionLines, tableLines, trialLine, type Gate } from '../eval-output';
import { UsageError } from '../usage-error';
import { keyValues } from '../param-args';

const USAGE = `Usage: jetty eval <RUNBOOK.md> --repeat N [options]
       jetty eval resume [id] [options]       finish evaluations a crashed process left (or just <id>)
       jetty eval show <id> [options]         the figures of a stored evaluation (and its JUnit/CTRF)

Runs a runbook N times per cell — each cell an agent × model of the matrix — as ordinary runs
in Docker sandboxes (or on the remote Jetty), at most K at once, and reports per cell: trials,
passed, pass rate with its 95% interval, pass@k and pass^k (k up to N), per-stage pass counts
and the flaky stage, duration p50/p90, tokens and cost, errors by kind. Infrastructure errors
(sandbox, provider, timeout) are counted apart from the runbook's own failures.

Options:
  --repeat N            trials per cell (and per case), 1–${EVALUATION_LIMITS.trialsPerCell}
  --agent a,b           agents of the matrix (default: the run's default)
  --model x,y           models of the matrix (default: the run's default)
  --concurrency K       trials at once (default: from this machine's cores and memory;
                        4 on a remote Jetty)
  --executor E          local (this engine's Docker, DOCKER_HOST's when set) or remote
                        (the configured remote Jetty: jetty login); default local
  --param k=v           a parameter of every trial (repeatable)
  --cases FILE          cases: a JSON list of {"name", "params"}, or 'examples' for the
                        manifest's example inputs (each is run N times per cell)
  --image IMAGE         the sandbox image of every trial
  --timeout S           each trial's timeout in seconds
  --name NAME           the evaluation's name
  --min-pass-rate R     the gate: every cell's pass rate at least R (0–1); default: every
                        trial passed
  --junit FILE          write JUnit XML (a testsuite per cell, a testcase per trial)
  --ctrf FILE           write CTRF JSON (a test per trial, its stages as steps)
  --suggest             when trials failed: suggest fixes (an analysis of the failed trials
                        proposes RUNBOOK.md edits, each evaluated the same way) and print
                        them with their before/after pass^k (in --json: "suggestions")
  --suggest-model M     the model of that analysis (default: the first cell's)
  --json                print the figures as one JSON document (progress goes to stderr)
  --data-dir D          data folder (default: JETTY_DATA_DIR or the app's data folder)

What it costs: the trials run in this process, which keeps its own warm sandboxes while it
runs (Settings → Warm sandboxes): the first trials start their containers, later ones adopt
parked ones; 20 trivial trials at the default concurrency take about 1.1–1.3x twenty bare
\`docker run\`s at the same concurrency (bench/README.md). A running jetty serve or the app of
the same data folder is not handed the trials (they run here, not in its warm sandboxes), but
it follows the evaluation live.

A terminal shows a live table; otherwise one line per trial as it ends. The report files are
written before the exit. Exit codes: 0 the gate holds, 1 it does not (or the evaluation
failed), 2 bad usage, 130 cancelled (Ctrl-C).

${SCORING_RULE}.`;

const OPTIONS = {
  repeat: { type: 'string' },
  agent: { type: 'string' },
  model: { type: 'string' },
  concurrency: { type: 'string' },
  executor: { type: 'string' },
  param: { type: 'string', multiple: true },
  cases: { type: 'string' },
  image: { type: 'string' },
  timeout: { type: 'string' },
  name: { type: 'string' },
  'min-pass-rate': { type: 'string' },
  junit: { type: 'string' },
  ctrf: { type: 'string' },
  json: { type: 'boolean' },
  suggest: { type: 'boolean' },
  'suggest-model': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

function parse(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError(`eval: ${(error as Error).message}`);
  }
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} expects a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

/** A comma-separated list (`--model a,b`), or [null]: the run's default. */
const list = (value: string | undefined): (string | null)[] => {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : [null];
};


async function casesOf(value: string | undefined): Promise<'examples' | z.output<typeof EvaluationCaseSchema>[] | undefined> {
  if (value === undefined || value === 'examples') return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(value, 'utf8'));
  } catch (error) {
    throw new UsageError(`--cases: cannot read ${value} as JSON: ${(error as Error).message}`);
  }
  const cases = z.array(EvaluationCaseSchema).min(1).max(EVALUATION_LIMITS.cases).safeParse(parsed);
  if (!cases.success) throw new UsageError(`--cases ${value}: expected a list of {"name": …, "params": {…}} (at most ${EVALUATION_LIMITS.cases}): ${cases.error.issues[0].path.join('.')} ${cases.error.issues[0].message}`);
  return cases.data;
}

async function writeReports(report: EvaluationReport, files: { junit?: string; ctrf?: string }): Promise<void> {
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, text);
  };
  if (files.junit) await write(files.junit, junitXml(report));
  if (files.ctrf) await write(files.ctrf, `${JSON.stringify(ctrfReport(report), null, 2)}\n`);
}

/** Shows an evaluation as it goes: a table redrawn in place on a terminal, else a line per ended trial; on stderr with --json. */
function progressView(engine: Engine, id: string, json: boolean) {
  const out = json ? process.stderr : process.stdout;
  const live = out.isTTY === true;
  const seen = new Set<string>();
  let drawn = 0;
  const draw = () => {
    const report = evaluationReport(engine.services.store.evaluations(), id);
    if (live) {
      const lines = tableLines(report);
      out.write(`${drawn > 0 ? `\x1b[${drawn}F` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
      drawn = lines.length;
      return;
    }
    for (const t of report.trials) {
      const key = `${t.cell}/${t.case}/${t.trial}`;
      if (t.state !== 'ended' || seen.has(key)) continue;
      seen.add(key);
      out.write(`${trialLine(report, t)}\n`);
    }
  };
  const off = engine.bus.subscribe('evaluation.changed', (e) => e.id === id && draw());
  draw();
  return () => {
    off();
    draw();
  };
}

/** `--suggest`: fixes suggested for an evaluation with failed trials, each evaluated (its progress on stderr); null when none failed. */
async function suggestFixes(engine: Engine, id: string, model: string | undefined): Promise<SuggestionSet | null> {
  const report = evaluationReport(engine.services.store.evaluations(), id);
  if (!report.trials.some((t) => t.outcome === 'failed' || t.outcome === 'error')) return null;
  process.stderr.write('Suggesting fixes: analysing the failed trials, then evaluating each edit…\n');
  try {
    const started = await engine.suggestions.suggest(id, model);
    await started.done;
    return engine.suggestions.get(started.set);
  } catch (error) {
    if (error instanceof SuggestionError) throw new UsageError(`eval --suggest: ${error.message}`);
    throw error;
  }
}

/** Follows an evaluation to its end (Ctrl-C cancels it), writes the reports, prints the figures (and suggested fixes); returns the exit code. */
async function finish(engine: Engine, id: string, done: Promise<void>, options: { json: boolean; gate: Gate; junit?: string; ctrf?: string; suggest?: { model?: string } }): Promise<number> {
  const stop = progressView(engine, id, options.json);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\ncancelling the evaluation… (Ctrl-C again to quit at once)\n');
    engine.evaluations.cancel(id);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stop();
  }
  const report = evaluationReport(engine.services.store.evaluations(), id);
  await writeReports(report, options);
  const gate = gateVerdict(report, options.gate);
  const code = interrupted ? 130 : gate.holds ? 0 : 1;
  const suggestions = options.suggest && !interrupted ? await suggestFixes(engine, id, options.suggest.model) : null;
  if (options.json) {
    const e = report.evaluation;
    const document = {
      evaluation: { id: e.id, name: e.name, collection: e.collection, task: e.task, version: e.version, content_hash: e.content_hash, status: e.status, error: e.error, trials_per_cell: e.trials, cases: e.cases.map((c) => c.name) },
      cells: report.cells.map(cellJson),
      gate: { min_pass_rate: options.gate.minPassRate, holds: gate.holds, reasons: gate.reasons },
      rule: report.rule,
      ...(options.suggest ? { suggestions } : {}),
      exit_code: code,
    };
    process.stdout.write(`${JSON.stringify(document)}\n`);
  } else {
    process.stdout.write(`Evaluation ${id} ${report.evaluation.status}: ${gate.holds ? 'the gate holds' : `the gate does not hold:\n  - ${gate.reasons.join('\n  - ')}`}\n`);
    for (const file of [options.junit, options.ctrf].filter(Boolean)) process.stdout.write(`wrote ${file}\n`);
    if (suggestions) process.stdout.write(`${suggestionLines(suggestions).join('\n')}\n`);
  }
  return code;
}

export const evalCommand: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parse(args);
    const json = values.json === true;
    const minPassRate = values['min-pass-rate'] === undefined ? null : Number(values['min-pass-rate']);
    if (minPassRate !== null && !(minPassRate >= 0 && minPassRate <= 1)) throw new UsageError(`--min-pass-rate expects a number from 0 to 1, got '${values['min-pass-rate']}'`);
    if (values['suggest-model'] !== undefined && !values.suggest) throw new UsageError('--suggest-model goes with --suggest');
    const output = { json, gate: { minPassRate }, junit: values.junit, ctrf: values.ctrf, suggest: values.suggest ? { model: values['suggest-model'] } : undefined };
    const [first, second, ...rest] = positionals;
    if (first === 'resume' || first === 'show') {
      if (rest.length > 0 || (first === 'show' && !second)) throw new UsageError(`eval: ${USAGE}`);
      const engine = await createEngine({ dataDir: resolveDataDir(values['data-dir']), resumeEvaluations: false });
      try {
        if (first === 'show') {
          if (!engine.services.store.evaluations().get(second)) throw new UsageError(`eval show: no evaluation '${second}'`);
          return await finish(engine, second, engine.evaluations.wait(second) ?? Promise.resolve(), output);
        }
        const resumed = engine.evaluations.resumeInterrupted(second);
        if (second && resumed.length === 0) throw new UsageError(`eval resume: '${second}' is not an interrupted evaluation (ended, unknown, or its process is still running)`);
        if (resumed.length === 0) process.stderr.write('No interrupted evaluations.\n');
        let code = 0;
        for (const { id, done } of resumed) code = Math.max(code, await finish(engine, id, done, output));
        return code;
      } finally {
        await engine.close();
      }
    }
    if (positionals.length !== 1) throw new UsageError(`jetty eval takes one RUNBOOK.md\n\n${USAGE}`);
    const trials = integer('--repeat', values.repeat, 1, EVALUATION_LIMITS.trialsPerCell);
    if (trials === undefined) throw new UsageError('--repeat N is required (trials per cell)');
    const executor = (values.executor ?? 'local') as Executor;
    if (executor !== 'local' && executor !== 'remote') throw new UsageError(`--executor takes local or remote, not '${values.executor}'`);
    const concurrency = integer('--concurrency', values.concurrency, 1, EVALUATION_LIMITS.concurrency);
    let image: string | null = null;
    if (values.image !== undefined) {
      const parsed = ImageNameSchema.safeParse(values.image);
      if (!parsed.success) throw new UsageError(`--image: ${parsed.error.issues[0].message}`);
      image = parsed.data;
    }
    const cells: EvaluationCell[] = list(values.agent).flatMap((agent) => list(values.model).map((model) => ({ agent, model, image, params: {}, executor })));
    if (cells.length > EVALUATION_LIMITS.cells) throw new UsageError(`--agent × --model makes ${cells.length} cells; at most ${EVALUATION_LIMITS.cells}`);
    const request = {
      runbookPath: positionals[0],
      name: values.name,
      cells,
      trials,
      concurrency: concurrency === undefined ? undefined : { [executor]: concurrency },
      params: keyValues(values.param),
      cases: await casesOf(values.cases),
      timeoutSeconds: integer('--timeout', values.timeout, 1, 86_400),
    };
    const engine = await createEngine({ dataDir: resolveDataDir(values['data-dir']), resumeEvaluations: false });
    try {
      let started;
      try {
        started = await engine.evaluations.start(request);
      } catch (error) {
        if (error instanceof EvaluationRequestError) throw new UsageError(`eval: ${error.message}`);
        throw error;
      }
      if (!json) process.stdout.write(`Evaluation ${started.id}: ${cells.length} cell(s) × ${trials} trial(s)\n`);
      return await finish(engine, started.id, started.done, output);
    } finally {
      await engine.close();
    }
  },
};
