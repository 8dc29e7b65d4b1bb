/**
 * Per-run gateway tokens: each run gets a random token that stands for it at the gateway
 * (which swaps it for the provider's real key), valid from issue until revoked when the
 * run ends. Tokens are kept only as SHA-256 digests, so the table never holds one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RunScope } from '../proxy/passthrough';

const RUN_TOKEN_PREFIX = 'jetty-run-';

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createRunTokens() {
  const scopes = new Map<string, RunScope>();
  return {
    /** A fresh token for the run; it works until `revoke`. */
    issue(scope: RunScope): string {
      const token = `${RUN_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
      scopes.set(digest(token), scope);
      return token;
    },
    /** The run a token stands for, or null (unknown, or its run has ended). */
    resolve: (token: string | null): RunScope | null => (token ? (scopes.get(digest(token)) ?? null) : null),
    revoke(token: string): void {
      scopes.delete(digest(token));
    },
  };
}
export type RunTokens = ReturnType<typeof createRunTokens>;
