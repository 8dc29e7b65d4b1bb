import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import type { LocalServices } from '../local-services';
import { analyzeRunbookFile } from '../runbook';
import { assembleRun, type RunSources } from '../runs/assemble-run';
import { RunPreparationError } from '../runs/prepare';
import type { RunOrder } from '../runs/run-request';
import { resolveRunPlan } from '../runs/resolve-run-plan';
import type { RunbookPathCheck } from '../workspace/runbook-roots';

/** Runs started from the UI (of runbooks in the open folders), assembled as at every other front door. */
export function runHandlers(services: LocalServices, sources: RunSources, readableRunbook: RunbookPathCheck) {
  return {
    'run.plan': async ({ runbookPath, agent, model }) => {
      const file = await readableRunbook(runbookPath);
      return resolveRunPlan(assembleRun({ runbookPath: file, agent, model, door: 'ui' }, sources), await analyzeRunbookFile(file), sources.env).plan;
    },
    'run.start': async ({ runbookPath, params, files, agent, model, timeoutSeconds, runAnyway }) => {
      await readableRunbook(runbookPath);
      try {
        const order: RunOrder = { runbookPath, params, files, agent, model, runAnyway, timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000, door: 'ui' };
        const handle = await services.runner.start(assembleRun(order, sources));
        return { trajectoryId: handle.id };
      } catch (err) {
        if (err instanceof RunPreparationError) throw new ApiError('invalid_input', err.message);
        throw err;
      }
    },
    'run.cancel': async ({ trajectoryId }) => {
      const handle = services.runner.get(trajectoryId);
      handle?.cancel();
      return { cancelled: handle !== null };
    },
  } satisfies Partial<Api>;
}
