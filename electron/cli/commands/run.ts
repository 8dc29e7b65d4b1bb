import { parseArgs } from 'node:util';
import { ImageNameSchema } from '../../../shared/images';
import { resolveDataDir } from '../../engine/base/data-dir';
import { readServeFile } from '../../engine/base/serve-file';
import { VERSION } from '../../engine/base/version';
import type { RunOrder } from '../../engine/runs/run-request';
import type { Command } from '../command';
import { keyValues } from '../param-args';
import { RUN_EXIT_HELP } from '../run-exit';
import { createRunOutput } from '../run-output';
import { UsageError } from '../usage-error';

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

  --no-serve         run it in this process even when a jetty serve of the data folder is running
                     (also JETTY_NO_SERVE=1)

What a run costs: when a jetty serve of the same data folder is running (same version, same
Docker), jetty run hands it the run: the same run, assembled there from these options and this
process's environment, in one of its warm sandboxes (Settings → Warm sandboxes), its events
printed here, Ctrl-C cancelling it; this process loads almost nothing (about 1x a bare
\`docker run --rm <image> true\` in all, figures in bench/README.md). Otherwise (and with
--no-serve or --otlp-endpoint) it is one process for one run, with no warm sandboxes: it starts
the run's container first and loads the engine while Docker starts it (about 3x).

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

const NETWORK_MODES = { on: true, off: false, gateway: 'gateway' } as const;

function networkMode(value: string | undefined): RunOrder['network'] {
  if (value === undefined) return undefined;
  if (!Object.hasOwn(NETWORK_MODES, value)) throw new UsageError(`--network takes on, off or gateway, not '${value}'`);
  return NETWORK_MODES[value as keyof typeof NETWORK_MODES];
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
        'no-serve': { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new UsageError(`jetty run takes one RUNBOOK.md\n\n${USAGE}`);
    const json = values.json === true;
    const startedAt = Date.now();
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

    const dataDir = resolveDataDir(values['data-dir']);
    const output = createRunOutput({ json, startedAt });
    // A running jetty serve of this data folder takes the run into its warm sandboxes (the run
    // is the same: assembled there from this order and this environment); else it runs here.
    const serve = values['no-serve'] || process.env.JETTY_NO_SERVE || values['otlp-endpoint'] !== undefined ? null : readServeFile(dataDir);
    if (serve?.version === VERSION) {
      const code = await (await import('../serve-run')).runThroughServe(serve, order, output);
      if (code !== null) return code;
    }
    return (await import('./run-local')).runLocal(order, dataDir, output, values['otlp-endpoint']);
  },
};
