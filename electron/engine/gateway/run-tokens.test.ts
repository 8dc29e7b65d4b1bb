import { describe, expect, it } from 'vitest';
import { createProviderRegistry } from '../proxy/providers';
import { createRunTokens } from './run-tokens';

const scope = (runId: string) => ({ runId, providers: createProviderRegistry({ env: {} }), admit: () => ({ release: () => undefined }), record: () => undefined });

describe('run tokens', () => {
  it('stand for their own run until revoked, and nothing else opens one', () => {
    const tokens = createRunTokens();
    const a = tokens.issue(scope('aaaa0001'));
    const b = tokens.issue(scope('bbbb0002'));
    expect(a).not.toBe(b);
    expect(tokens.resolve(a)?.runId).toBe('aaaa0001');
    expect(tokens.resolve(b)?.runId).toBe('bbbb0002');
    tokens.revoke(a);
    expect(tokens.resolve(a)).toBeNull();
    expect(tokens.resolve(b)?.runId).toBe('bbbb0002');
    expect(tokens.resolve(null)).toBeNull();
    expect(tokens.resolve(`${b}x`)).toBeNull();
  });
});
