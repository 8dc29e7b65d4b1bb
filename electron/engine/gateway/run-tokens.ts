/**
 * Per-run gateway tokens: each run gets a random token that stands for it at the gateway
 * (which swaps it for the provider's real key), valid from issue until revoked when the
 * run ends. Tokens are kept only as SHA-256 digests, so the table never holds one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { GatewayCall, RunScope } from '../proxy/passthrough';
import type { McpUpstream } from './mcp-relay';

/** A run's scope at its listener, which may read a call's request while the provider works on it. */
export interface RunGatewayScope extends RunScope {
  /** Called with each call as it is forwarded (the work it does must not delay the call). */
  prepare?(call: GatewayCall): void;
  /** The run's HTTP MCP servers by name: the only ones its token reaches at `/mcp/<name>`. */
  mcp?: ReadonlyMap<string, McpUpstream>;
}

const RUN_TOKEN_PREFIX = 'jetty-run-';

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createRunTokens() {
  const scopes = new Map<string, RunGatewayScope>();
  return {
    /** A fresh token for the run; it works until `revoke`. */
    issue(scope: RunGatewayScope): string {
      const token = `${RUN_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
      scopes.set(digest(token), scope);
      return token;
    },
    /** The run a token stands for, or null (unknown, or its run has ended). */
    resolve: (token: string | null): RunGatewayScope | null => (token ? (scopes.get(digest(token)) ?? null) : null),
    revoke(token: string): void {
      scopes.delete(digest(token));
    },
  };
}
export type RunTokens = ReturnType<typeof createRunTokens>;
