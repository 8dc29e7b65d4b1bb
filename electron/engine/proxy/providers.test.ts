import { describe, expect, it } from 'vitest';
import { createProviderRegistry, ProviderError } from './providers';

describe('provider registry', () => {
  const env = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/' };

  it('routes by prefix, strips it, and infers the provider of a bare model name', () => {
    const reg = createProviderRegistry({ env, endpoints: [{ name: 'local', baseUrl: 'http://127.0.0.1:8000/v1/' }] });
    expect(reg.resolve('openai/gpt-4o')).toMatchObject({ model: 'gpt-4o', provider: { name: 'openai', apiKey: 'sk-o' } });
    expect(reg.resolve('anthropic/claude-sonnet-4.6')).toMatchObject({ model: 'claude-sonnet-4.6', provider: { baseUrl: 'http://127.0.0.1:9/v1', wire: 'anthropic-messages' } });
    expect(reg.resolve('claude-sonnet-4-6').provider.name).toBe('anthropic');
    expect(reg.resolve('local/qwen/qwen3')).toMatchObject({ model: 'qwen/qwen3', provider: { baseUrl: 'http://127.0.0.1:8000/v1', apiKey: null } });
  });

  it('explains an unknown prefix, a missing key and a bad endpoint', () => {
    const reg = createProviderRegistry({ env });
    expect(() => reg.resolve('mystery/x')).toThrow(/no provider for model "mystery\/x": prefix it with one of openai\//);
    const missing = (() => {
      try {
        reg.resolve('gemini/gemini-2.0-flash');
      } catch (error) {
        return error as ProviderError;
      }
    })();
    expect(missing).toBeInstanceOf(ProviderError);
    expect(missing?.status).toBe(401);
    expect(missing?.message).toMatch(/set GEMINI_API_KEY/);
    expect(() => createProviderRegistry({ env, endpoints: [{ name: 'openai', baseUrl: 'http://x' }] })).toThrow(/already taken/);
    expect(() => createProviderRegistry({ env, endpoints: [{ name: 'ok', baseUrl: 'ftp://x' }] })).toThrow(/only http and https/);
  });
});
