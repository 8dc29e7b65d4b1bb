import { analyzeRunbookFile } from '../runbook';
import { assembleRun, type RunSources } from '../runs/assemble-run';
import { requestedSettings, resolveRunPlan } from '../runs/resolve-run-plan';
import type { RunOrder } from '../runs/run-request';
import type { SandboxService } from '../sandbox';

/**
 * Makes the image a local run of an order will use available once for every trial that
 * uses it (its snapshot built, or pulled), before the trials start: trials started together
 * would otherwise each build the same snapshot. The image is resolved as the runner resolves
 * it (the order's choice, its collection's, Settings', the environment's, the runbook's);
 * a failure is left for each trial's own run to report.
 */
export function imagePreparer(sandboxes: Pick<SandboxService, 'ensureImage' | 'resolveImage'>, sources: RunSources) {
  const ready = new Map<string, Promise<void>>();
  return async (order: RunOrder): Promise<void> => {
    try {
      const analysis = await analyzeRunbookFile(order.runbookPath);
      const resolved = resolveRunPlan(assembleRun(order, sources), analysis, sources.env);
      const settings = requestedSettings(analysis.frontmatter, resolved.model);
      const request = { image: resolved.imageOverride ?? settings.image, snapshot: settings.snapshot };
      const name = sandboxes.resolveImage(request).name;
      let pending = ready.get(name);
      if (!pending) {
        pending = sandboxes.ensureImage(request).then(() => undefined);
        ready.set(name, pending);
        // A failed build is tried again by the next evaluation (or the trial's run), not remembered.
        pending.catch(() => ready.delete(name));
      }
      await pending;
    } catch {
      // Each trial's run reports why its image (or its plan) is not there.
    }
  };
}
