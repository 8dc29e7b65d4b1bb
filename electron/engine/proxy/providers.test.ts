import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog';
import { createProviderRegistry, endpointKeyVariable, ProviderError, withProviderSettings } from './providers';

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

describe('the provider catalog', () => {
  it('makes every row a provider reachable by its prefix, at its default base URL or <PREFIX>_BASE_URL', () => {
    const reg = createProviderRegistry({ env: { GROQ_API_KEY: 'gsk', GEMINI_API_KEY: 'g', GEMINI_OPENAI_BASE_URL: 'http://127.0.0.1:9/g/' } });
    for (const entry of CATALOG.filter((e) => !e.unsupported && !e.restVersion)) {
      const { provider } = createProviderRegistry({ env: {}, requireKeys: false }).resolve(`${entry.prefix}/m`);
      expect(provider.name).toBe(entry.prefix);
    }
    expect(reg.resolve('groq/llama-3.3-70b-versatile')).toMatchObject({ model: 'llama-3.3-70b-versatile', provider: { baseUrl: 'https://api.groq.com/openai/v1', apiKey: 'gsk', wire: 'chat-completions' } });
    expect(reg.resolve('gemini-openai/gemini-2.5-flash').provider.baseUrl).toBe('http://127.0.0.1:9/g');
    expect(() => reg.resolve('mistral/large')).toThrow(/provider mistral has no API key: set MISTRAL_API_KEY/);
    expect(CATALOG.length).toBeGreaterThanOrEqual(30);
  });

  it('lets local servers answer without a key, and sends one when set', () => {
    const reg = createProviderRegistry({ env: { LMSTUDIO_API_KEY: 'lm' } });
    expect(reg.resolve('ollama/qwen3:4b')).toMatchObject({ model: 'qwen3:4b', provider: { baseUrl: 'http://127.0.0.1:11434/v1', apiKey: null, local: 'ollama' } });
    expect(reg.resolve('lmstudio/qwen/qwen3-4b').provider).toMatchObject({ apiKey: 'lm', local: 'lmstudio' });
    expect(reg.resolve('vllm/x').provider.quirks).toEqual({ plainToolSchemas: true });
  });

  it('refuses providers that need signing or deployments, with the reason, before anything is sent', () => {
    const reg = createProviderRegistry({ env: { AWS_BEARER_TOKEN_BEDROCK: 'x' } });
    for (const name of ['azure', 'bedrock', 'vertex']) {
      const error = (() => {
        try {
          reg.resolve(`${name}/m`);
        } catch (e) {
          return e as ProviderError;
        }
      })();
      expect(error).toMatchObject({ status: 400, code: 'provider_not_supported' });
      expect(error?.message).toMatch(new RegExp(`provider ${name} is not supported yet: .+`));
    }
  });

  it('keeps `only`, and takes Settings’ base URLs and endpoints through the environment', () => {
    const env = withProviderSettings({}, { providerBaseUrls: { ollama: 'http://127.0.0.1:7/v1', nope: 'http://x' }, endpoints: [{ name: 'lab', baseUrl: 'http://127.0.0.1:8/v1' }] });
    expect(env).toMatchObject({ OLLAMA_BASE_URL: 'http://127.0.0.1:7/v1', JETTY_ENDPOINTS: '[{"name":"lab","baseUrl":"http://127.0.0.1:8/v1"}]' });
    const reg = createProviderRegistry({ env: { ...env, [endpointKeyVariable('lab')]: 'k' }, only: ['lab'] });
    expect(reg.resolve('lab/m').provider).toMatchObject({ baseUrl: 'http://127.0.0.1:8/v1', apiKey: 'k' });
    expect(() => reg.resolve('ollama/m')).toThrow(/not open to this run/);
    expect(() => createProviderRegistry({ env: { JETTY_ENDPOINTS: '{' } })).toThrow(/JETTY_ENDPOINTS is not JSON/);
  });
});
