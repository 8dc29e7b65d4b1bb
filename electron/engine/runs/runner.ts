import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Trajectory, TrajectoryEvent, TrajectoryStatus } from '../../../shared/trajectory';
import { getAgentRuntime } from '../agents/registry';
import { MissingCliError } from '../agents/cli-process';
import type { AgentResult, AgentRuntime } from '../agents/types';
import { GATEWAY_STEP } from '../gateway/model-call-event';
import type { RunGateway } from '../gateway/run-gateway';
import type { RunMcp } from '../mcp-client/run-mcp';
import { GATEWAY_RELAY_URL, ImageUnavailableError, type DockerSandbox, type SandboxService } from '../sandbox';
import { AGENT_FALLBACK_SETTING } from '../runbook';
import { createRedactor, isOwnerProcessAlive, processOwnerToken, type Store } from '../store';
import { readEvaluation, withMissingOutputs } from './evaluation';
import { missingOutputs } from './output-contract';
import { createPendingRemovals } from './pending-removals';
import { prepareRun, RunPreparationError } from './prepare';
import { FALLBACK_HINT, planRun } from './resolve-run-plan';
import { createRunRecorder } from './run-recorder';
import { createRunPhases } from './run-phases';
import { sandboxImageRequest } from './sandbox-plan';
import { createConversationRecording } from './conversation-recording';
import { resultRedaction } from './result-redaction';
import { endpointFor, runBudgetLimits, runProviders, type GatewaySettings } from './run-gateway-access';
import { imageUnavailableMessage } from './image-choice';
import { DEFAULT_RUN_TIMEOUT_MS, type RunRequest } from './run-request';
import type { StorageService } from '../storage';

export interface RunnerDeps {
  store: Store;
  sandboxes: SandboxService;
  /** Runs' result files go to `<artifactsRoot>/<trajectory id>/`. */
  artifactsRoot: string;
  /** Live events of every run (the UI, the CLI's progress, the API's streams). */
  onEvent?(trajectoryId: string, event: TrajectoryEvent): void;
  env?: NodeJS.ProcessEnv;
  /** Takes a run's collected artifacts to its collection's storage backend (queued, uploaded in the background). */
  storage?: Pick<StorageService, 'enqueueRun'>;
  /** Where runs' model calls go (per-run token → real key, budget, model_call events); one is started on first use when omitted. */
  gateway?: RunGateway;
  /** Prices and default budgets, read at each run's start. */
  gatewaySettings?: () => GatewaySettings;
}

export interface RunHandle {
  id: string;
  /** Resolves with the final trajectory; never rejects. */
  done: Promise<Trajectory>;
  cancel(): void;
}

type Ending = { status: TrajectoryStatus; error: string | null };

/** Why a run's controller aborted when it cannot go on: the gateway refused a call over budget, its files could not go into its sandbox. */
interface FailureStop {
  failure: string;
}
const isFailureStop = (reason: unknown): reason is FailureStop => typeof (reason as FailureStop | null)?.failure === 'string';

/**
 * The run orchestrator: prepare → sandbox up → agent → collect artifacts → evaluate →
 * final status. Every transition is an event and a step (keyed by name, as the cloud
 * shapes them); secrets go to the container as environment and are redacted from
 * everything recorded.
 */
export function createRunner(deps: RunnerDeps) {
  const env = deps.env ?? process.env;
  const active = new Map<string, RunHandle>();
  const removals = createPendingRemovals();
  // The run gateway (and the relay under it, a large load) is read at the first run, while its sandbox starts.
  let ownGateway: Promise<RunGateway> | null = null;
  const gateway = async (): Promise<RunGateway> => deps.gateway ?? (await (ownGateway ??= import('../gateway/run-gateway').then((m) => m.createRunGateway({ env }))));

  async function start(request: RunRequest): Promise<RunHandle> {
    const prepared = await prepareRun(request);
    // What the run uses (agent, model, endpoint, image): the same resolution `run.plan` shows before a run.
    const runEnv = request.env ?? env;
    const resolved = await planRun(request, prepared.analysis, runEnv);
    if (resolved.plan.problems.length > 0) throw new RunPreparationError('the run cannot start', resolved.plan.problems);
    let runtime = getAgentRuntime(resolved.agent);
    const fallback = resolved.fallbackAgent === null ? null : getAgentRuntime(resolved.fallbackAgent);
    const { model, imageOverride } = resolved;
    // Redacted from everything recorded: the runbook's secrets and the model providers' keys.
    const secrets = { ...prepared.secretValues };
    for (const r of fallback ? [runtime, fallback] : [runtime]) {
      const { apiKey } = endpointFor(r, request, runEnv);
      if (apiKey) secrets[`MODEL_KEY_${r.provider.toUpperCase()}`] = apiKey;
    }
    const trajectory = deps.store.createTrajectory({
      id: request.trajectoryId,
      collection: prepared.collection,
      task: prepared.task,
      kind: 'runbook',
      status: 'running',
      init_params: prepared.initParams,
      agent: resolved.agent,
      model,
      owner: processOwnerToken(),
      secrets,
    });
    const id = trajectory.id;
    const redactor = createRedactor(secrets);
    const recorder = createRunRecorder(deps.store.eventWriter(id), redactor, (e) => deps.onEvent?.(id, e));
    const conversation = createConversationRecording(deps.store, id, (message) => recorder.record({ type: 'log', level: 'warning', step: GATEWAY_STEP, payload: { message } }));
    const controller = new AbortController();
    const timeoutMs = request.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    const timer = setTimeout(() => controller.abort('timeout'), timeoutMs);

    const status = (value: TrajectoryStatus, message?: string) =>
      recorder.record({ type: 'status', level: 'info', step: null, payload: { status: value, ...(message ? { message } : {}) } });
    const step = (name: string, value: TrajectoryStatus, patch: Record<string, unknown> = {}) => {
      const now = new Date().toISOString();
      const times = value === 'running' ? { started_at: now } : { ended_at: now };
      deps.store.updateStep(id, name, { status: value, ...times, ...patch });
      recorder.record({ type: 'status', level: 'info', step: name, payload: { status: value } });
    };
    const stopped = (): Ending | null => {
      if (!controller.signal.aborted) return null;
      const reason: unknown = controller.signal.reason;
      if (isFailureStop(reason)) return { status: 'failed', error: reason.failure };
      return reason === 'timeout'
        ? { status: 'failed', error: `timed out after ${Math.round(timeoutMs / 1000)} s` }
        : { status: 'cancelled', error: null };
    };

    // Each phase's time is an event (the replay and the benches say where the time went); the warm pool refills once the run is past its start.
    const phases = createRunPhases(recorder, deps.sandboxes.runStarting());

    async function execute(): Promise<Ending> {
      status('running');
      // What the agent and the gateway will need is loaded while the image is checked and the sandbox starts.
      for (const r of fallback ? [runtime, fallback] : [runtime]) r.warmUp?.();
      void gateway().catch(() => undefined);
      // Every substitution of the runbook's choices, and a run despite lint errors, is a warning in the trajectory.
      for (const message of resolved.plan.warnings) recorder.record({ type: 'log', level: 'warning', step: null, payload: { message } });
      const lintErrors = prepared.analysis.diagnostics.filter((d) => d.severity === 'error');
      if (lintErrors.length > 0) {
        const list = lintErrors.map((d) => `${d.range.line}:${d.range.column} ${d.code} ${d.message}`).join('; ');
        recorder.record({ type: 'log', level: 'warning', step: null, payload: { message: `Run anyway: started despite ${lintErrors.length} lint error(s): ${list}`, run_anyway: true } });
      }
      step('prepare', 'completed', {
        inputs: prepared.initParams,
        outputs: { warnings: prepared.analysis.diagnostics.filter((d) => d.severity === 'warning').length },
      });

      // The image and where it came from (the run, its collection, Settings, the environment, the runbook, the default).
      step('sandbox', 'running', { inputs: { snapshot: prepared.settings.snapshot, image: imageOverride ?? prepared.settings.image, image_source: resolved.plan.image.source } });
      let sandbox: DockerSandbox | null = null;
      let result: AgentResult | null = null;
      try {
        const ensure = () =>
          deps.sandboxes.ensureImage(sandboxImageRequest(prepared, imageOverride), {
            signal: controller.signal,
            onProgress: (p) => recorder.record({ type: 'progress', level: 'info', step: 'sandbox', payload: { ...p } }),
          });
        const image = await phases
          .time('image', 'sandbox', ensure)
          .catch(async (error: unknown) => {
            // An image that cannot be had here: why, and what to use instead (the local images, where to choose).
            if (!(error instanceof ImageUnavailableError) || controller.signal.aborted) throw error;
            const message = await imageUnavailableMessage(error, deps.sandboxes);
            step('sandbox', 'failed', { outputs: { error: message } });
            throw new Error(message, { cause: error });
          });
        const gatewayOnly = request.network === 'gateway';
        const gatewaySocketDir = gatewayOnly ? await (await gateway()).socketDir() : undefined;
        // A warm pool's container when there is one (its environment, the run's, goes with each command), else one made now.
        const created = performance.now();
        sandbox = await deps.sandboxes.create({ image: image.name, imageId: image.id, runId: id, env: prepared.secretEnv, network: request.network, gatewaySocketDir, limits: request.limits, signal: controller.signal });
        phases.done(sandbox.adopted ? 'adopt' : 'create', 'sandbox', performance.now() - created);
        // The runbook's folder first, so its scripts and data sit beside it in the working directory; input files after, in /app/assets.
        // Staged: they go in one archive with the agent's own files, or before its first command, whichever comes first.
        sandbox.stageFiles(prepared.folder.files);
        for (const { path: file, reason } of prepared.folder.skipped) {
          recorder.record({ type: 'log', level: 'warning', step: 'sandbox', payload: { message: `the runbook's folder: ${file} was left out (${reason})` } });
        }
        const assets = sandbox.stageAssets(prepared.files.map((f) => ({ name: path.basename(f), sourcePath: f })));
        sandbox.filesSent().then(
          (sent) => sent && phases.done('files_in', 'sandbox', sent.ms, `${sent.files} file(s)`),
          (error: unknown) => controller.abort({ failure: `the run's files could not be copied into the sandbox: ${error instanceof Error ? error.message : String(error)}` } satisfies FailureStop),
        );
        const folder = { files: prepared.folder.files.length, bytes: prepared.folder.bytes };
        step('sandbox', 'completed', { outputs: { image: image.name, action: image.action, container: sandbox.id, adopted: sandbox.adopted, folder, assets } });
        if (stopped()) return stopped()!;

        const host = sandbox;
        for (const { name, reason } of prepared.mcp.skipped) {
          recorder.record({ type: 'log', level: 'warning', step: null, payload: { message: `MCP server '${name}' is left out: ${reason} (it is optional)` } });
        }
        // The run's HTTP MCP servers, with their headers: the gateway holds them, the sandbox never sees them.
        const mcpUpstreams = new Map(prepared.mcp.servers.flatMap((s) => (s.transport === 'http' ? [[s.name, { url: s.url, headers: s.headers }] as const] : [])));
        const runAgent = async (agent: AgentRuntime): Promise<AgentResult> => {
          // The agent gets the gateway's address and a token for this run alone; the provider's key stays here.
          const settings = deps.gatewaySettings?.() ?? {};
          const access = await (await gateway()).open({
            mcpServers: mcpUpstreams,
            runId: id,
            providers: runProviders(agent, request, model, runEnv),
            budget: runBudgetLimits(prepared.analysis.frontmatter, settings),
            prices: settings.modelPrices ?? {},
            // Stored at once: the gateway's journal of this run's calls is its trajectory.
            onModelCall: (event, call) => {
              recorder.record(conversation.withRefs(event, call));
              recorder.flush();
              if (event.type === 'model_call') phases.modelCall(event.payload.latency_ms);
            },
            onBudgetExceeded: (reason) => controller.abort({ failure: reason } satisfies FailureStop),
          });
          let mcp: RunMcp | null = null;
          try {
            mcp = await startMcp(agent, access);
            deps.store.conversations().setRenderedRunbook(id, prepared.rendered);
            step('agent', 'running', { inputs: { agent: agent.name, model } });
            phases.agentStarted();
            // A CLI agent's own files go with the run's in one archive; the built-in agent asks its model first, while they go in.
            if (!agent.cli) void host.sendFiles().catch(() => undefined);
            const containerBase = gatewayOnly ? GATEWAY_RELAY_URL : access.containerUrl;
            // Loaded with the gateway already (at the run's first step): its URL rule for an MCP server.
            const { mcpUrl } = await import('../gateway/run-gateway');
            return await agent.run({
              runbook: prepared.rendered,
              task: `Execute the runbook with parameters: ${Object.entries(prepared.initParams)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}`,
              host,
              model,
              baseURL: !agent.cli ? access.hostUrl : gatewayOnly ? GATEWAY_RELAY_URL : access.containerUrl,
              apiKey: access.token,
              maxTurns: request.maxTurns,
              env: prepared.secretEnv,
              signal: controller.signal,
              emit: (e) => recorder.record({ ...e, step: e.step ?? 'agent' }),
              ...(mcp && {
                mcp: { servers: mcp.servers, containerUrl: (name: string) => mcpUrl(containerBase, name), token: access.token, unset: Object.keys(prepared.secretEnv), sessions: mcp.sessions },
              }),
            });
          } finally {
            await mcp?.close();
            // The token ends with the agent: nothing may call the gateway as this run after it.
            access.end();
          }
        };
        /** The run's MCP servers, checked before the agent starts (kept open for the built-in agent, its MCP client); null when it has none. */
        const startMcp = async (agent: AgentRuntime, access: { token: string; hostMcpUrl(name: string): string }): Promise<RunMcp | null> => {
          if (prepared.mcp.servers.length === 0) return null;
          step('mcp', 'running', { inputs: { servers: prepared.mcp.servers.map((s) => s.name) } });
          try {
            // The MCP client (its SDK) is loaded only by runs that declare servers.
            const { startRunMcp } = await import('../mcp-client/run-mcp');
            const started = await startRunMcp(prepared.mcp.servers, {
              host,
              httpUrl: access.hostMcpUrl,
              token: access.token,
              unset: Object.keys(prepared.secretEnv),
              signal: controller.signal,
              keep: !agent.cli,
              notice: (level, message) => recorder.record({ type: 'log', level, step: 'mcp', payload: { message } }),
            });
            step('mcp', 'completed', { outputs: { servers: started.servers.map((s) => s.name) } });
            return started;
          } catch (error) {
            step('mcp', stopped()?.status ?? 'failed', { outputs: { error: error instanceof Error ? error.message : String(error) } });
            throw error;
          }
        };
        try {
          result = await runAgent(runtime);
        } catch (error) {
          // A CLI agent's own exec checks first that its CLI is on the image's PATH.
          if (!(error instanceof MissingCliError)) throw error;
          const missing = `agent '${runtime.name}' needs the ${error.cli} CLI, which is not installed in the sandbox image ${image.name}`;
          if (!fallback) {
            const message = `${missing}: use an image that has it (see resources/sandboxes/README.md)${request.agent ? '' : `, ${FALLBACK_HINT}`}`;
            step('agent', 'failed', { outputs: { status: 'error', error: message } });
            throw new Error(message);
          }
          recorder.record({ type: 'log', level: 'warning', step: null, payload: { message: `${missing}; using the built-in agent (${AGENT_FALLBACK_SETTING})` } });
          runtime = fallback;
          deps.store.updateTrajectory(id, { agent: runtime.name });
          result = await runAgent(runtime);
        }
        deps.store.updateTrajectory(id, { usage: result.usage });
        const agentOk = result.status === 'finished';
        step('agent', stopped()?.status ?? (agentOk ? 'completed' : 'failed'), {
          outputs: { status: result.status, turns: result.turns, summary: result.summary, error: result.error ?? null },
        });
        if (stopped()) return stopped()!;

        step('collect', 'running');
        const dest = path.join(deps.artifactsRoot, id);
        await mkdir(dest, { recursive: true });
        const redaction = resultRedaction(secrets);
        const tree = await phases.time('collect', 'collect', () => host.collectResults(dest, undefined, redaction.filter));
        for (const artifact of tree.artifacts) {
          deps.store.addArtifact(id, artifact);
          const redacted = redaction.findings(artifact.path)?.secrets;
          recorder.record({ type: 'artifact', level: 'info', step: 'collect', payload: { ...artifact, ...(redacted ? { redacted } : {}) } });
          const warning = redaction.warning(artifact);
          if (warning) recorder.record(warning);
        }
        for (const skipped of tree.skipped) {
          recorder.record({ type: 'log', level: 'warning', step: 'collect', payload: { message: `skipped ${skipped.path}: ${skipped.reason}` } });
        }
        const upload = deps.storage?.enqueueRun(id, prepared.collection, tree.artifacts) ?? null;
        if (upload) recorder.record({ type: 'log', level: 'info', step: 'collect', payload: { message: `${upload.count} artifacts queued for upload to ${upload.location}`, upload_pending: upload.count, location: upload.location } });
        step('collect', 'completed', { outputs: { files: tree.artifacts.map((a) => a.path), folder: dest, ...(upload ? { upload } : {}) } });

        step('evaluate', 'running');
        // The REQUIRED OUTPUT FILES table is a contract: a run that left some out says which, and its evaluation fails.
        const missing = agentOk ? missingOutputs(prepared.requiredOutputs, tree.artifacts) : [];
        // Read from the results just copied out: no further call to the sandbox.
        const report = await phases.time('evaluate', 'evaluate', () => readEvaluation(dest));
        const evaluation = withMissingOutputs(report, missing);
        deps.store.updateTrajectory(id, { evaluation });
        const { report: _report, ...counts } = evaluation ?? {};
        // A failed agent's missing report is no news beside its real error: say nothing of it then.
        const noReport = report === null && agentOk ? { message: 'no validation_report.json' } : {};
        if (evaluation || agentOk) recorder.record({ type: 'evaluation', level: evaluation?.overall_passed === false ? 'warning' : 'info', step: 'evaluate', payload: { ...counts, ...noReport } });
        if (missing.length > 0) {
          recorder.record({ type: 'log', level: 'warning', step: 'evaluate', payload: { message: `required output files missing: ${missing.join(', ')}`, missing_outputs: missing } });
        }
        step('evaluate', 'completed', { outputs: { ...counts, ...noReport } });

        if (!agentOk) return { status: 'failed', error: result.error ?? `agent ended with ${result.status}` };
        return { status: 'completed', error: null };
      } catch (err) {
        if (stopped()) return stopped()!;
        const message = err instanceof Error ? err.message : String(err);
        recorder.record({ type: 'log', level: 'error', step: null, payload: { message } });
        return { status: 'failed', error: message };
      } finally {
        if (sandbox) removals.track(sandbox.destroy());
      }
    }

    const done = execute()
      .catch((err): Ending => ({ status: 'failed', error: err instanceof Error ? err.message : String(err) }))
      .then((ending) => {
        clearTimeout(timer);
        phases.ended();
        status(ending.status, ending.error ?? undefined);
        conversation.flush();
        recorder.flush();
        deps.store.updateTrajectory(id, {
          status: ending.status,
          error: ending.error === null ? null : redactor.redact(ending.error),
        });
        deps.store.eventWriter(id).close();
        deps.store.forgetSecrets(id);
        active.delete(id);
        return deps.store.getTrajectory(id)!;
      });

    const handle: RunHandle = { id, done, cancel: () => controller.abort('cancelled') };
    active.set(id, handle);
    return handle;
  }

  return {
    start,
    /** Runs started by this runner and not yet finished. */
    active: () => [...active.values()],
    get: (id: string) => active.get(id) ?? null,
    /**
     * Start-up recovery: trajectories of processes that died mid-run become failed
     * (interrupted), and their containers are removed.
     */
    async recover(): Promise<{ interrupted: string[]; removedContainers: string[] }> {
      const interrupted = deps.store.markInterrupted(isOwnerProcessAlive);
      const removedContainers = await deps.sandboxes.cleanupOrphans().catch(() => []);
      return { interrupted, removedContainers };
    },
    /** Resolves once the containers of the runs ended so far are removed (a run's end does not wait for that). */
    containersRemoved: (): Promise<void> => removals.settled(),
    /** Waits for the ended runs' containers to be removed and stops the gateway this runner started (runs should have ended). */
    close: async (): Promise<void> => {
      await removals.settled();
      await (await ownGateway)?.close();
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
