import type { ImageRequest, SandboxService } from '../sandbox';
import { prepareRun, type PreparedRun } from './prepare';
import { resolveRunPlan } from './resolve-run-plan';
import type { RunRequest } from './run-request';

/** The image a run asks the sandbox service for: the one chosen over the runbook's (`imageOverride`), else the runbook's image or snapshot. */
export function sandboxImageRequest(prepared: Pick<PreparedRun, 'settings'>, imageOverride: string | undefined): ImageRequest {
  return { image: imageOverride ?? prepared.settings.image, snapshot: prepared.settings.snapshot };
}

/**
 * Starts the container `request`'s run will ask for, before the run starts: prepared and
 * planned as the runner will, its image present (an image to build or pull is left to the
 * run, which reports its progress). A one-shot `jetty run` does this first and loads the
 * rest of the engine while Docker starts the container, which the run then adopts. A run
 * that cannot start, or whose sandbox's network is 'gateway' (the gateway's socket folder
 * is the run's to make), primes nothing: the run says why, or makes its own as ever.
 */
export async function primeRunSandbox(request: RunRequest, sandboxes: SandboxService, env: NodeJS.ProcessEnv): Promise<void> {
  if (request.network === 'gateway') return;
  const prepared = await prepareRun(request).catch(() => null);
  if (!prepared) return;
  const resolved = resolveRunPlan(request, prepared.analysis, env);
  if (resolved.plan.problems.length > 0) return;
  const image = await sandboxes.presentImage(sandboxImageRequest(prepared, resolved.imageOverride)).catch(() => null);
  if (image) sandboxes.prime({ image: image.name, limits: request.limits, network: request.network });
}
