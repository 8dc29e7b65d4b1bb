/**
 * The scripted model for evaluations: the outcome of a hello-report trial is picked by the
 * model its cell names. `scripted-steady` always passes (its report lists both stages);
 * `scripted-flaky` fails its line_count stage in the write turns numbered in `failing`
 * (counted from 1 over every flaky trial, whatever their order), passing the others;
 * `scripted-hang` never answers (a trial caught mid-way). Counts are per model, so the
 * pass counts of a cell are known however its trials interleave.
 */
import type { ChatRequest, ScriptFunction, ScriptStep } from './scripted-model-server';
import { helloReportWith } from './scripted-model-scripts';

export const STEADY = 'scripted-steady';
export const FLAKY = 'scripted-flaky';
export const HANG = 'scripted-hang';

export interface EvaluationModel {
  script: ScriptFunction;
  /** Write turns (one per trial that got that far) per model. */
  writes: Record<string, number>;
  /** Requests a hanging model left unanswered. */
  hung: number;
  /** While set, every model hangs (a process about to be killed mid-evaluation). */
  hangAll: boolean;
}

const assistantTurns = (request: ChatRequest) => request.messages.filter((m) => m.role === 'assistant').length;

/** `onWrite` is told of each write turn (its model and number) before it is answered. */
export function evaluationModel(failing: readonly number[] = [], onWrite?: (model: string, n: number) => void): EvaluationModel {
  const state: EvaluationModel = {
    writes: {},
    hung: 0,
    hangAll: false,
    script: (request, turn): ScriptStep => {
      const model = String(request.model);
      if (state.hangAll || model.includes(HANG)) {
        state.hung++;
        return { type: 'hang' };
      }
      let passed = true;
      if (assistantTurns(request) === 1) {
        const n = (state.writes[model] = (state.writes[model] ?? 0) + 1);
        onWrite?.(model, n);
        passed = !(model.includes(FLAKY) && failing.includes(n));
      }
      return helloReportWith({ passed, allStages: true })(request, turn) as ScriptStep;
    },
  };
  return state;
}
