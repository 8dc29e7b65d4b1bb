import { parseArgs } from 'node:util';
import { ImageNameSchema } from '../../../shared/contract';
import { evaluationLine, evaluationVerdict } from '../../../shared/evaluation';
import type { Trajectory } from '../../../shared/trajectory';
import { resolveDataDir } from '../../engine/base/data-dir';
import type { Store } from '../../engine/store';
import { assembleRun } from '../../engine/runs/assemble-run';
import { RunPreparationError } from '../../engine/runs/prepare';
import type { RunOrder, RunRequest } from '../../engine/runs/run-request';
import { primeRunSandbox } from '../../engine/runs/sandbox-plan';
import { openStoredRunSources } from '../../engine/runs/stored-run-sources';
import { createSandboxService } from '../../engine/sandbox';
import type { Command } from '../command';
import { formatEvent } from '../format-event';
import { RUN_EXIT, RUN_EXIT_HELP, runExitCode } from '../run-exit';
import { UsageError } from '../usage-error';
import { keyValues } from '../param-args';

const USAGE = `Usage: jetty run <RUNBOOK.md> [options]

Runs a runbook locally in a Docker sandbox with an agent, recording a trajectory.

  (jetty run --remote … runs it on the remote Jetty instead: jetty run --remote --help)

Options:
  --param k=v        a parameter value (repeatable)
  --file PATH        an input file copied to /app/assets (repeatable)
  --secret NAME      pass the secret NAME; its value is read from the environment variable NAME (repeatable)
  --agent NAME       builtin, claude-code, codex or gemini-cli (default: the data folder's Settings →
                     Default agent, else the runbook's; a runbook whose CLI its image lacks fails,
                     or runs builtin with JETTY_AGENT_FALLBACK=builtin)
  --model M          model name (default: Settings → Default model, else JETTY_MODEL, else the runbook's)
  --base-url URL     the agent's model endpoint (default: Settings → Model endpoint, else OPENAI_BASE_URL,
                     for builtin and codex; ANTHROPIC_BASE_URL for claude-code, GOOGLE_GEMINI_BASE_URL
                     for gemini-cli); key from the data folder's secret store (jetty serve's), else
                     OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY; declared secrets not passed
                     with --secret from the collection's environment, else the secret store
  --image IMAGE      run in this image (e.g. a local one: docker image ls) instead of the one
                     Settings → Sandbox image gives the collection or every run, JETTY_SANDBOX_IMAGE,
                     or the runbook's image/snapshot
  --network MODE     the sandbox's network: on (default; the host is reachable as host.docker.internal,
                     services on it bound to 0.0.0.0 included), off (loopback only), or gateway (loopback
                     and the run's model gateway only: an agent CLI reaches its model and nothing else)
  --no-network       the same as --network off
  --timeout S        whole-run timeout in seconds (default 1800)
  --max-turns N      agent turn limit (default 50)
  --data-dir D       data folder (default: JETTY_DATA_DIR or the app's data folder)
  --json             progress as JSON lines
  --otlp-endpoint URL  send the run as OpenTelemetry GenAI spans (OTLP/HTTP JSON) to this collector

What a run costs here: jetty run is one process for one run, so it keeps no warm sandboxes. It
starts the run's container first and loads the rest while Docker starts it, and leaves the
container's removal to Docker once the run has ended; module loading and the container's
start are still paid on every run (about 2-3x a bare \`docker run --rm <image> true\`, figures in
bench/README.md). A running jetty serve, or the app, keeps started containers warm (Settings →
Warm sandboxes): a run through it (POST /api/v1/run-sync, the UI) adopts one instead, in well
under a bare docker run.

${RUN_EXIT_HELP}`;


function secretsFromEnv(names: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value === undefined || value === '') throw new UsageError(`--secret ${name}: set the environment variable ${name} to the secret's value`);
    out[name] = value;
  }
  return out;
}

function imageName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = ImageNameSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--image: ${parsed.error.issues[0].message}, got '${value}'`);
  return parsed.data;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} expects a positive number, got '${value}'`);
  return n;
}

function describeResult(t: Trajectory, seconds: number): string {
  const tokens = t.usage ? `${t.usage.total_tokens} tokens` : '';
  return [`${t.status} in ${seconds.toFixed(1)} s`, `evaluation: ${evaluationLine(t.evaluation)}`, `${t.artifacts.length} artifact(s)`, tokens, t.error ? `error: ${t.error}` : '']
    .filter(Boolean)
    .join(' — ');
}

const NETWORK_MODES = { on: true, off: false, gateway: 'gateway' } as const;

function networkMode(value: string | undefined): RunOrder['network'] {
  if (value === undefined) return undefined;
  if (!Object.hasOwn(NETWORK_MODES, value)) throw new UsageError(`--network takes on, off or gateway, not '${value}'`);
  return NETWORK_MODES[value as keyof typeof NETWORK_MODES];
}

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

export const run: Command = {
  usage: USAGE,
  async run(args) {
    if (args.includes('--remote')) return (await import('./run-remote')).runRemote.run(args);
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        param: { type: 'string', multiple: true },
        file: { type: 'string', multiple: true },
        secret: { type: 'string', multiple: true },
        agent: { type: 'string' },
        model: { type: 'string' },
        'base-url': { type: 'string' },
        image: { type: 'string' },
        'no-network': { type: 'boolean' },
        network: { type: 'string' },
        timeout: { type: 'string' },
        'max-turns': { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        'otlp-endpoint': { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError(`jetty run takes one RUNBOOK.md\n\n${USAGE}`);
    const json = values.json === true;
    const startedAt = Date.now();
    const print = (line: string) => process.stdout.write(`${line}\n`);
    const order: RunOrder = {
      runbookPath: positionals[0],
      params: keyValues(values.param),
      files: values.file ?? [],
      secrets: secretsFromEnv(values.secret),
      agent: values.agent,
      model: values.model,
      baseURL: values['base-url'],
      image: imageName(values.image),
      network: values['no-network'] ? false : networkMode(values.network),
      timeoutMs: (positiveNumber('--timeout', values.timeout) ?? 1800) * 1000,
      maxTurns: positiveNumber('--max-turns', values['max-turns']),
      door: 'cli',
    };

    // The first event of a run arrives before start() returns: announce the id with it.
    let announced = false;
    const announce = (id: string) => {
      if (announced) return;
      announced = true;
      print(json ? JSON.stringify({ type: 'trajectory', id }) : `Trajectory ${id}`);
    };
    const dataDir = resolveDataDir(values['data-dir']);
    const refused = (err: unknown): number => {
      if (!(err instanceof RunPreparationError)) throw err;
      const secretHint = err.problems.some((p) => p.startsWith('missing required secret')) ? '\nPass each secret with --secret NAME, with NAME set in the environment.' : '';
      process.stderr.write(`jetty run: ${err.message}${secretHint}\n`);
      return 1;
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
    const services = openLocalServices(dataDir, {
      oneShot: true,
      sandboxes,
      onEvent: (id, event) => {
        announce(id);
        print(json ? JSON.stringify({ trajectory_id: id, ...event }) : formatEvent(event, startedAt));
      },
    });
    try {
      // Crashed runs are marked at once; their containers are removed while this run goes on.
      const recovering = services.runner.recover();
      void recovering.then((recovered) => {
        if (recovered.interrupted.length > 0 && !json) print(`note: marked interrupted runs as failed: ${recovered.interrupted.join(', ')}`);
      });
      let handle;
      try {
        handle = await services.runner.start(request);
      } catch (err) {
        return refused(err);
      }
      announce(handle.id);
      let interrupts = 0;
      const onSignal = () => {
        interrupts += 1;
        if (interrupts > 1) process.exit(130);
        if (!json) process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
        handle.cancel();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const t = await handle.done;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await traceRun(dataDir, t.id, services.store, values['otlp-endpoint']);
      const code = runExitCode(t);
      print(
        json
          ? JSON.stringify({ type: 'result', trajectory: t, evaluation_verdict: evaluationVerdict(t.evaluation), exit_code: code })
          : `Trajectory ${t.id}: ${describeResult(t, (Date.now() - startedAt) / 1000)}`,
      );
      if (code === RUN_EXIT.evaluationFailed && !json) process.stderr.write(`jetty run: the run completed, but its evaluation failed (exit ${code})\n`);
      await recovering;
      return code;
    } finally {
      await services.close();
    }
  },
};
