/**
 * The scripted model for "Suggest fixes": a hello-report trial passes only when the runbook
 * its agent was given (in its prompt) says PHRASE, and its first command prints a long
 * output. The analysis request (the one offering `propose_edits`) is answered with three
 * proposals — an edit adding PHRASE, a harmless rewording, and one refused (its find is not
 * in the runbook) — then, each time refusals come back, with that one corrected badly (its
 * evidence cites a step that does not exist), so it is dropped after the last turn.
 */
import { callTools, type ChatRequest, type ScriptFunction, type ScriptStep } from './scripted-model-server';
import { helloReportWith } from './scripted-model-scripts';

export const SUGGEST_MODEL = 'openai/scripted-suggest';
/** What the runbook must say for a trial to pass. */
export const PHRASE = 'Write exactly three lines, one per greeting.';
/** Passages of hello-report's RUNBOOK.md the proposals edit. */
export const OBJECTIVE = 'Write a greeting for {{name}} repeated {{times}} times, check it, and report.';
const INTRO = 'A minimal runbook that exercises the whole loop';
const STEP_ONE = '## Step 1: Environment Setup';
/** Lines of output of each trial's first command: a long tool output in every failed run. */
export const OUTPUT_LINES = 200_000;
export const NO_SUCH_STEP = 99_999;

export const contentText = (content: unknown): string => (typeof content === 'string' ? content : JSON.stringify(content));

export interface SuggestModel {
  script: ScriptFunction;
  /** Every analysis request, in order. */
  analysisPrompts: ChatRequest[];
}

export function suggestModel(): SuggestModel {
  const analysisPrompts: ChatRequest[] = [];
  const analysis = (request: ChatRequest): ScriptStep => {
    analysisPrompts.push(request);
    const user = contentText(request.messages.find((m) => m.role === 'user')?.content);
    const run = /### Trial run ([0-9a-f]{8})/.exec(user)![1];
    const step = Number(new RegExp(`### Trial run ${run}[^#]*?\\[step (\\d+)\\] tool_result bash`).exec(user)![1]);
    const evidence = [{ trajectory_id: run, step }];
    const guardrail = { lens: 'missing_guardrails', title: 'Stop on the first error', rationale: 'The setup went on past errors.', evidence: [{ trajectory_id: run, step: NO_SUCH_STEP }], find: STEP_ONE, replace: `${STEP_ONE}\n\nStop on the first error.` };
    if (!request.messages.some((m) => m.role === 'tool')) {
      return callTools({
        name: 'propose_edits',
        arguments: {
          suggestions: [
            { lens: 'consistent_failures', title: 'Say how many lines', rationale: 'line_count failed in every trial: the runbook never says how many lines to write.', evidence, find: OBJECTIVE, replace: `${OBJECTIVE}\n\n${PHRASE}` },
            { lens: 'divergent_behaviour', title: 'Reword the intro', rationale: 'A clearer introduction.', evidence, find: INTRO, replace: 'A small runbook that exercises the whole loop' },
            { ...guardrail, find: 'This text is not in the runbook.', evidence },
          ],
        },
      });
    }
    return callTools({ name: 'propose_edits', arguments: { suggestions: [guardrail] } });
  };
  const script: ScriptFunction = (request, turn) => {
    if (request.tools?.some((t) => t.type === 'function' && t.function.name === 'propose_edits')) return analysis(request);
    if (!request.messages.some((m) => m.role === 'assistant')) {
      return callTools({ name: 'bash', arguments: { command: `mkdir -p /app/results && seq 1 ${OUTPUT_LINES}` } });
    }
    const passed = request.messages.some((m) => m.role !== 'assistant' && contentText(m.content).includes(PHRASE));
    return helloReportWith({ passed, allStages: true })(request, turn) as ScriptStep;
  };
  return { script, analysisPrompts };
}
