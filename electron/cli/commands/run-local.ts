import type { Store } from '../../engine/store';
import { assembleRun } from '../../engine/runs/assemble-run';
import { RunPreparationError } from '../../engine/runs/prepare';
import type { RunOrder, RunRequest } from '../../engine/runs/run-request';
import { primeRunSandbox } from '../../engine/runs/sandbox-plan';
import { openStoredRunSources } from '../../engine/runs/stored-run-sources';
import { createSandboxService } from '../../engine/sandbox';
import { cancelOnSignal, type RunOutput } from '../run-output';

/** How long a finished run waits for its trace to reach the collector before the command ends (a dead one is given up on). */
const TRACE_FLUSH_MS = 2_000;

/** Sends the run's trace when a collector is named (flag, Settings, environment), waiting at most TRACE_FLUSH_MS. */
async function traceRun(dataDir: string, id: string, store: Store, flag: string | undefined): Promise<void> {
  // Loaded once the run has ended: nothing of it is on the run's own path.
  const [{ createTraceExport, traceExportConfig }, { openSettings }] = await Promise.all([import('../../engine/interop/trace-export'), import('../../engine/base/settings')]);
  const config = traceExportConfig(openSettings(dataDir).get(), process.env, flag);
  if (!config) return;
  const traces = createTraceExport({ store, config: () => config });
  traces.trajectoryChanged(id, false);
  await Promise.race([traces.flush(), new Promise((resolve) => setTimeout(resolve, TRACE_FLUSH_MS).unref())]);
  const stats = traces.stats();
  if (stats && stats.sent === 0) process.stderr.write(`jetty run: the trace did not reach ${stats.endpoint}${stats.lastError ? ` (${stats.lastError})` : ''}; the run is unaffected\n`);
  traces.close();
}

/** `jetty run` in this process: the engine loaded here, the run's container started first; the exit code. */
export async function runLocal(order: RunOrder, dataDir: string, output: RunOutput, otlpEndpoint: string | undefined): Promise<number> {
  const refused = (err: unknown): number => {
    if (!(err instanceof RunPreparationError)) throw err;
    return output.refused(err.message, err.problems);
  };
  let request: RunRequest;
  try {
    request = assembleRun(order, openStoredRunSources(dataDir, process.env));
  } catch (err) {
    return refused(err);
  }
  // One run and out: no warm pool. The run's container is started first, and the rest of the
  // engine loads while Docker starts it; the run adopts it. Its removal is left to Docker once asked.
  const sandboxes = createSandboxService({ oneShot: true, warmPool: { size: () => 0 } });
  await primeRunSandbox(request, sandboxes, process.env);
  const { openLocalServices } = await import('../../engine/local-services');
  const services = openLocalServices(dataDir, { oneShot: true, sandboxes, onEvent: output.event });
  try {
    // Crashed runs are marked at once; their containers are removed while this run goes on.
    const recovering = services.runner.recover();
    void recovering.then((recovered) => {
      if (recovered.interrupted.length > 0 && !output.json) output.print(`note: marked interrupted runs as failed: ${recovered.interrupted.join(', ')}`);
    });
    let handle;
    try {
      handle = await services.runner.start(request);
    } catch (err) {
      return refused(err);
    }
    output.announce(handle.id);
    const stopListening = cancelOnSignal(handle.cancel, output.json);
    const t = await handle.done;
    stopListening();
    await traceRun(dataDir, t.id, services.store, otlpEndpoint);
    const code = output.result(t);
    await recovering;
    return code;
  } finally {
    await services.close();
  }
}
