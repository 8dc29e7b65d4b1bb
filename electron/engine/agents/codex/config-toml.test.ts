import { describe, expect, it } from 'vitest';
import { codexConfigToml } from './config-toml';

describe("codex's config.toml", () => {
  it('points a Responses provider at the base URL, with the key from its own variable kept from commands', () => {
    expect(codexConfigToml('http://host.docker.internal:4000/v1/').split('\n')).toEqual([
      'model_provider = "jetty"',
      '',
      '[model_providers.jetty]',
      'name = "Jetty"',
      'base_url = "http://host.docker.internal:4000/v1"',
      'env_key = "JETTY_CODEX_API_KEY"',
      'wire_api = "responses"',
      '',
      '[shell_environment_policy]',
      'inherit = "all"',
      'ignore_default_excludes = true',
      'exclude = ["JETTY_CODEX_API_KEY"]',
      '',
    ]);
  });

  it("escapes quotes and backslashes in the URL, and defaults to OpenAI's", () => {
    expect(codexConfigToml('http://h/"x"\\y')).toContain('base_url = "http://h/\\"x\\"\\\\y"\n');
    expect(codexConfigToml(undefined)).toContain('base_url = "https://api.openai.com/v1"\n');
  });
});
