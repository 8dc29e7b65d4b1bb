import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import type { LocalServices } from '../local-services';
import type { EngineOperations } from '../operations';
import { analyzeRunbookFile } from '../runbook';
import { assembleRun, type RunSources } from '../runs/assemble-run';
import { RunPreparationError } from '../runs/prepare';
import type { RunOrder } from '../runs/run-request';
import { planRun } from '../runs/resolve-run-plan';
import type { RunFileInputs } from './uploads';
import type { RunbookPathCheck } from '../workspace/runbook-roots';

/** Runs started from the UI (of runbooks in the open folders), assembled as at every other front door. */
export function runHandlers(services: LocalServices, sources: RunSources, readableRunbook: RunbookPathCheck, inputFiles: RunFileInputs, operations: EngineOperations) {
  return {
    'run.plan': async ({ runbookPath, agent, model, image }) => {
      const file = await readableRunbook(runbookPath);
      return (await planRun(assembleRun({ runbookPath: file, agent, model, image, door: 'ui' }, sources), await analyzeRunbookFile(file), sources.env)).plan;
    },
    'run.start': async ({ runbookPath, params, files: hostPaths, uploads, agent, model, timeoutSeconds, runAnyway, image, secrets, rerunOf }) => {
      await readableRunbook(runbookPath);
      if (rerunOf && !services.store.getTrajectoryHeader(rerunOf)) throw new ApiError('not_found', `no trajectory ${rerunOf} to re-run`);
      const inputs = await inputFiles.resolve(hostPaths, uploads);
      try {
        const order: RunOrder = { runbookPath, params, files: inputs.paths, secrets, agent, model, image, runAnyway, timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000, door: 'ui' };
        const handle = await services.runner.start(assembleRun(order, sources));
        await inputs.remember(handle.id, runbookPath);
        if (rerunOf) services.store.linkRerun(handle.id, rerunOf);
        return { trajectoryId: handle.id };
      } catch (err) {
        if (err instanceof RunPreparationError) throw new ApiError('invalid_input', err.message);
        throw err;
      }
    },
    'run.cancel': async ({ trajectoryId }) => ({ cancelled: operations.cancel(trajectoryId) }),
  } satisfies Partial<Api>;
}
