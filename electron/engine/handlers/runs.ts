import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import type { LocalServices } from '../local-services';
import { RunPreparationError } from '../runs/prepare';
import type { SecretVault } from '../secrets/vault';
import type { SettingsFile } from '../settings';
import type { RunbookPathCheck } from '../workspace/runbook-roots';

/** The vault entry holding the built-in agent's provider key. */
export const MODEL_KEY_SECRET = 'OPENAI_API_KEY';
/** The vault entry holding claude-code's key (else ANTHROPIC_API_KEY from the environment). */
const ANTHROPIC_KEY_SECRET = 'ANTHROPIC_API_KEY';

/** Runs started from the UI (of runbooks in the open folders): secrets come from the vault, provider settings from Settings. */
export function runHandlers(services: LocalServices, vault: SecretVault, settings: SettingsFile, env: NodeJS.ProcessEnv, readableRunbook: RunbookPathCheck) {
  return {
    'run.start': async ({ runbookPath, params, files, agent, model, timeoutSeconds }) => {
      await readableRunbook(runbookPath);
      const s = settings.get();
      try {
        const handle = await services.runner.start({
          runbookPath,
          params,
          files,
          secretSource: (name) => vault.get(name),
          agent: agent ?? (s.defaultAgent || undefined),
          model: model ?? (s.defaultModel || undefined),
          modelEnv: {
            ...env,
            OPENAI_BASE_URL: s.modelBaseUrl || env.OPENAI_BASE_URL,
            OPENAI_API_KEY: vault.get(MODEL_KEY_SECRET) ?? env.OPENAI_API_KEY,
            ANTHROPIC_API_KEY: vault.get(ANTHROPIC_KEY_SECRET) ?? env.ANTHROPIC_API_KEY,
          },
          timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
        });
        return { trajectoryId: handle.id };
      } catch (err) {
        if (err instanceof RunPreparationError) throw new ApiError('invalid_input', err.message);
        throw err;
      }
    },
    'run.cancel': async ({ trajectoryId }) => {
      const handle = services.runner.get(trajectoryId);
      handle?.cancel();
      return { cancelled: handle !== null };
    },
  } satisfies Partial<Api>;
}
