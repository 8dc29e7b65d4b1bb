/**
 * Named scripts for the standalone scripted model server, and loading a script from a
 * JSON file (a list of steps, or `{ "steps": [...] }`) or a module (its default export).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { callTools, reply, type ChatRequest, type Script, type ScriptFunction, type ScriptStep } from './scripted-model-server';

export const HELLO_REPORT_SUMMARY = 'Hello from the scripted model: wrote summary.md and validation_report.json.';

/**
 * Drives the built-in agent through a tiny run: a bash command, two files written in
 * /app/results, then `finish`. It decides by how many assistant turns the request
 * already holds, so retries and parallel runs get the right next step.
 */
export const helloReport: ScriptFunction = (request: ChatRequest): ScriptStep => {
  const turnsSoFar = request.messages.filter((m) => m.role === 'assistant').length;
  if (turnsSoFar === 0) {
    return { type: 'reply', content: 'Setting up the results folder.', toolCalls: [{ name: 'bash', arguments: { command: 'mkdir -p /app/results && echo ready' } }] };
  }
  if (turnsSoFar === 1) {
    const report = { overall_passed: true, stages: [{ name: 'hello', passed: true }], results: { pass: 1, partial: 0, fail: 0 } };
    return callTools(
      { name: 'write_file', arguments: { path: '/app/results/summary.md', content: '# Summary\n\nHello from the scripted model.\n' } },
      { name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: `${JSON.stringify(report, null, 2)}\n` } },
    );
  }
  return callTools({ name: 'finish', arguments: { summary: HELLO_REPORT_SUMMARY } });
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
