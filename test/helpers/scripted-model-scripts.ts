/**
 * Named scripts for the standalone scripted model server, and loading a script from a
 * JSON file (a list of steps, or `{ "steps": [...] }`) or a module (its default export).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { callTools, reply, type ChatRequest, type Script, type ScriptFunction, type ScriptStep } from './scripted-model-server';

export const HELLO_REPORT_SUMMARY = 'Hello from the scripted model: wrote summary.md and validation_report.json.';

/** How a hello-report run turns out: its report's verdict, and whether it writes greeting.txt (a required output). */
export interface HelloOutcome {
  passed?: boolean;
  greeting?: boolean;
  /** The report lists its line_count stage when it passes too (an evaluation then sees the stage pass and fail). */
  allStages?: boolean;
}

/**
 * Drives the built-in agent through a tiny hello-report run: a bash command, the runbook's
 * output files written in /app/results (greeting.txt unless `greeting` is false; a report
 * whose line-count check fails when `passed` is false), then `finish`. It decides by how
 * many assistant turns the request already holds, so retries and parallel runs get the
 * right next step.
 */
export const helloReportWith =
  ({ passed = true, greeting = true, allStages = false }: HelloOutcome = {}): ScriptFunction =>
  (request: ChatRequest): ScriptStep => {
    const turnsSoFar = request.messages.filter((m) => m.role === 'assistant').length;
    if (turnsSoFar === 0) {
      return { type: 'reply', content: 'Setting up the results folder.', toolCalls: [{ name: 'bash', arguments: { command: 'mkdir -p /app/results && echo ready' } }] };
    }
    if (turnsSoFar === 1) {
      const lineCount = passed ? (allStages ? [{ name: 'line_count', passed: true }] : []) : [{ name: 'line_count', passed: false, message: 'expected 3 lines, found 2' }];
      const stages = [{ name: 'hello', passed: true }, ...lineCount];
      const report = { overall_passed: passed, stages, results: { pass: 1, partial: 0, fail: passed ? 0 : 1 } };
      return callTools(
        ...(greeting ? [{ name: 'write_file', arguments: { path: '/app/results/greeting.txt', content: 'Hello, world!\nHello, world!\nHello, world!\n' } }] : []),
        { name: 'write_file', arguments: { path: '/app/results/summary.md', content: '# Summary\n\nHello from the scripted model.\n' } },
        { name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: `${JSON.stringify(report, null, 2)}\n` } },
      );
    }
    return callTools({ name: 'finish', arguments: { summary: HELLO_REPORT_SUMMARY } });
  };

/** hello-report done as the runbook asks: every required output, a passing report. */
export const helloReport: ScriptFunction = helloReportWith();

/** The outcomes `helloReportByName` picks by the run's `name` parameter. */
export const HELLO_OUTCOMES: Record<string, HelloOutcome> = {
  failing: { passed: false },
  incomplete: { greeting: false },
};

/**
 * hello-report whose outcome the run's `name` parameter picks (the task message lists the
 * parameters), so one model server serves runs of each kind: `name=failing` writes a
 * failing report, `name=incomplete` leaves out greeting.txt, any other name passes.
 */
export const helloReportByName: ScriptFunction = (request, turn) => {
  const task = request.messages.find((m) => m.role === 'user')?.content;
  const name = typeof task === 'string' ? /\bname=([\w-]+)/.exec(task)?.[1] : undefined;
  return helloReportWith(HELLO_OUTCOMES[name ?? ''] ?? {})(request, turn);
};

/** Answers every chat request with the text of its last user message. */
const echo: Script = (request: ChatRequest): ScriptStep => {
  const last = request.messages.findLast((m) => m.role === 'user');
  return reply(typeof last?.content === 'string' ? `You said: ${last.content}` : 'You said nothing I can read.');
};

export const NAMED_SCRIPTS: Record<string, Script> = { 'hello-report': helloReport, echo };

export async function loadScript(spec: string): Promise<Script> {
  const named = NAMED_SCRIPTS[spec];
  if (named) return named;
  const file = path.resolve(spec);
  if (file.endsWith('.json')) {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    const steps = Array.isArray(parsed) ? parsed : (parsed as { steps?: unknown }).steps;
    if (!Array.isArray(steps)) throw new Error(`${spec}: expected a JSON array of steps or {"steps": [...]}`);
    return steps as ScriptStep[];
  }
  if (/\.(m?[jt]s)$/.test(file)) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: Script };
    if (!mod.default) throw new Error(`${spec}: the module has no default export (a script: steps array or function)`);
    return mod.default;
  }
  throw new Error(`unknown script '${spec}': use one of ${Object.keys(NAMED_SCRIPTS).join(', ')}, a .json file or a .ts/.js module`);
}
