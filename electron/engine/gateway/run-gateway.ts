/**
 * Per-run gateway access: a run gets the gateway's address and a token of its own, never
 * a provider key. The gateway (its own listener and passthrough) maps the token to the
 * run: the run's providers with their real keys, its budget, and its trajectory, where
 * each call is journaled as a `model_call` event with tokens, latency and cost (the run's
 * recorder redacts the run's secrets; the prompt and completion go to the run's conversation,
 * see runs/conversation-recording.ts). The token stops working
 * when the run ends.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NewTrajectoryEvent } from '../../../shared/trajectory';
import { createPassthrough, type Passthrough } from '../proxy/passthrough';
import { createProviderRegistry, type ProviderRegistry } from '../proxy/providers';
import { GATEWAY_SOCKET_NAME } from '../sandbox/gateway-relay';
import type { ConversationEntry } from '../../../shared/conversation';
import { estimateCall } from './call-estimate';
import { promptOfBody, type CallConversation } from './call-conversation';
import { modelCallEvent } from './model-call-event';
import type { PriceTable } from './pricing';
import { createRunBudget, type BudgetLimits } from './run-budget';
import { startRunListener, type RunListener } from './run-listener';
import { createRunTokens } from './run-tokens';
import { MCP_PATH_PREFIX, type McpRelayLimits, type McpUpstream } from './mcp-relay';

/** The name containers resolve to the host (the sandbox adds it as `host-gateway`). */
export const CONTAINER_HOST_NAME = 'host.docker.internal';

export interface RunGatewayRequest {
  runId: string;
  /** The run's providers, with the real keys. */
  providers: ProviderRegistry;
  budget: BudgetLimits;
  prices: PriceTable;
  /**
   * Each call of the run, as a `model_call` event, to be stored before the call's last byte
   * (throws when it cannot), with what the model saw and said (its bodies may be stored later).
   */
  onModelCall(event: NewTrajectoryEvent, conversation: CallConversation | null): void;
  /** A call was refused because the budget is spent: the run should fail with `reason`. */
  onBudgetExceeded(reason: string): void;
  /** The run's HTTP MCP servers by name, with the headers the gateway adds (they never enter the sandbox). */
  mcpServers?: ReadonlyMap<string, McpUpstream>;
}

export interface RunAccess {
  token: string;
  /** The gateway's base URL (ending in /v1) for an agent in the engine's process. */
  hostUrl: string;
  /** The gateway's base URL for an agent inside the sandbox. */
  containerUrl: string;
  /** Where the engine reaches the run's HTTP MCP server `name` (with the token as a bearer token). */
  hostMcpUrl(name: string): string;
  /** Ends the token: the gateway refuses it from now on. */
  end(): void;
}

/**
 * Where the gateway listens: `JETTY_GATEWAY_HOST`, else Docker's bridge on this host
 * (docker0, the address `host-gateway` names; containers reach it, other machines do
 * not), else loopback (Docker Desktop forwards host.docker.internal to it).
 */
function gatewayBindHost(env: NodeJS.ProcessEnv): string {
  if (env.JETTY_GATEWAY_HOST) return env.JETTY_GATEWAY_HOST;
  const bridge = os.networkInterfaces().docker0?.find((a) => a.family === 'IPv4');
  return bridge?.address ?? '127.0.0.1';
}

/** The URL of a run's MCP server `name` at the gateway whose model base URL (ending in /v1) is `baseUrl`. */
export const mcpUrl = (baseUrl: string, name: string) => `${baseUrl.replace(/\/v1\/?$/, '')}${MCP_PATH_PREFIX}${encodeURIComponent(name)}`;

/** The listener's calls all carry a run, whose scope journals them; this journal is never reached. */
const NO_JOURNAL = {
  record(): void {
    throw new Error('a run gateway call without a run');
  },
};

export function createRunGateway(options: { env?: NodeJS.ProcessEnv; mcpLimits?: McpRelayLimits } = {}) {
  const env = options.env ?? process.env;
  const tokens = createRunTokens();
  let started: Promise<{ passthrough: Passthrough; listener: RunListener; socketDir: string | null }> | null = null;

  const start = async () => {
    const passthrough = createPassthrough({ providers: createProviderRegistry({ env: {} }), recorder: NO_JOURNAL, newId: () => '' });
    // The same gateway on a socket, for sandboxes whose only network is the gateway (not on Windows, where a socket path is a named pipe Docker cannot mount).
    const socketDir = process.platform === 'win32' ? null : await mkdtemp(path.join(os.tmpdir(), 'jetty-gateway-'));
    try {
      if (socketDir) await chmod(socketDir, 0o711);
      const listener = await startRunListener({ host: gatewayBindHost(env), tokens, passthrough, socketPath: socketDir ? path.join(socketDir, GATEWAY_SOCKET_NAME) : undefined, mcpLimits: options.mcpLimits });
      return { passthrough, listener, socketDir };
    } catch (error) {
      await passthrough.close();
      if (socketDir) await rm(socketDir, { recursive: true, force: true });
      throw error;
    }
  };

  return {
    /** Opens the gateway for one run (starting the listener on first use). */
    async open(run: RunGatewayRequest): Promise<RunAccess> {
      started ??= start();
      const { listener } = await started;
      const budget = createRunBudget(run.budget);
      // Each call's prompt, read while the provider works on it (keyed by the request's bytes, as the call captures them).
      const prompts = new WeakMap<Uint8Array, ConversationEntry[] | null>();
      const token = tokens.issue({
        runId: run.runId,
        providers: run.providers,
        mcp: run.mcpServers,
        admit(call) {
          const named = call.urlModel?.model ?? call.body.model;
          const reserved = budget.reserve(estimateCall(call, typeof named === 'string' ? named : '', run.prices));
          if (typeof reserved === 'string') run.onBudgetExceeded(reserved);
          return reserved;
        },
        prepare(call) {
          setImmediate(() => prompts.set(call.raw, promptOfBody(call.api, call.body)));
        },
        record(call) {
          const facts = modelCallEvent(call, run.prices, prompts.get(call.request));
          budget.add(facts);
          run.onModelCall(facts.event, facts.conversation);
        },
      });
      return {
        token,
        hostUrl: `http://${listener.host}:${listener.port}/v1`,
        containerUrl: `http://${CONTAINER_HOST_NAME}:${listener.port}/v1`,
        hostMcpUrl: (name) => mcpUrl(`http://${listener.host}:${listener.port}/v1`, name),
        end: () => tokens.revoke(token),
      };
    },
    /**
     * The host folder holding the gateway's socket (starting the gateway if needed), for a
     * sandbox whose only network is the gateway; throws where there is none (Windows).
     */
    async socketDir(): Promise<string> {
      started ??= start();
      const { socketDir } = await started;
      if (!socketDir) throw new Error("the sandbox network 'gateway' is not available on Windows (Docker cannot mount the gateway's socket there): use the default network");
      return socketDir;
    },
    async close(): Promise<void> {
      if (!started) return;
      const { passthrough, listener, socketDir } = await started.catch(() => ({ passthrough: null, listener: null, socketDir: null }));
      await listener?.close();
      await passthrough?.close();
      if (socketDir) await rm(socketDir, { recursive: true, force: true });
    },
  };
}
export type RunGateway = ReturnType<typeof createRunGateway>;
