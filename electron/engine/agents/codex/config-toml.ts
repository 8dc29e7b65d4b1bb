/**
 * Codex's `$CODEX_HOME/config.toml` for a run: one model provider pointing at the run's
 * base URL, speaking the Responses API with the key from an environment variable (an
 * OPENAI_BASE_URL alone does not redirect codex), and commands that see the whole
 * environment (the runbook's secrets) except that key.
 */

/** The variable codex reads the run's model key from. */
export const CODEX_KEY_VARIABLE = 'JETTY_CODEX_API_KEY';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** A TOML basic string (JSON's escapes are TOML's). */
const toml = (value: string) => JSON.stringify(value);

export function codexConfigToml(baseURL: string | undefined): string {
  return [
    'model_provider = "jetty"',
    '',
    '[model_providers.jetty]',
    'name = "Jetty"',
    `base_url = ${toml((baseURL ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, ''))}`,
    `env_key = ${toml(CODEX_KEY_VARIABLE)}`,
    'wire_api = "responses"',
    '',
    '[shell_environment_policy]',
    'inherit = "all"',
    'ignore_default_excludes = true',
    `exclude = [${toml(CODEX_KEY_VARIABLE)}]`,
    '',
  ].join('\n');
}
