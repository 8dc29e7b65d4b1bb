import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import type { LocalServices } from '../local-services';
import { analyzeRunbookFile } from '../runbook';
import { RunPreparationError } from '../runs/prepare';
import { resolveRunPlan } from '../runs/resolve-run-plan';
import type { RunRequest } from '../runs/run-request';
import type { SecretVault } from '../secrets/vault';
import type { SettingsFile } from '../settings';
import type { RunbookPathCheck } from '../workspace/runbook-roots';

/** The vault entry holding the built-in agent's provider key. */
export const MODEL_KEY_SECRET = 'OPENAI_API_KEY';
/** The vault entry holding claude-code's key (else ANTHROPIC_API_KEY from the environment). */
const ANTHROPIC_KEY_SECRET = 'ANTHROPIC_API_KEY';

/** The provider keys a UI run can take from the vault (else from the environment). */
export const PROVIDER_KEY_SECRETS = [MODEL_KEY_SECRET, ANTHROPIC_KEY_SECRET];

/** Runs started from the UI (of runbooks in the open folders): secrets come from the vault, provider settings from Settings. */
export function runHandlers(services: LocalServices, vault: SecretVault, settings: SettingsFile, env: NodeJS.ProcessEnv, readableRunbook: RunbookPathCheck) {
  /** A UI run's request: the caller's choices, else Settings' (each named as where it came from), keys from the vault. */
  function uiRequest(runbookPath: string, agent: string | undefined, model: string | undefined): RunRequest {
    const s = settings.get();
    const fromSettings = (given: string | undefined, setting: string, label: string) => (given ? 'the run panel' : setting ? `Settings → ${label}` : undefined);
    return {
      runbookPath,
      secretSource: (name) => vault.get(name),
      agent: agent ?? (s.defaultAgent || undefined),
      model: model ?? (s.defaultModel || undefined),
      choiceOrigins: {
        agent: fromSettings(agent, s.defaultAgent, 'Default agent'),
        model: fromSettings(model, s.defaultModel, 'Default model'),
        baseURL: s.modelBaseUrl ? 'Settings → Model endpoint' : undefined,
      },
      modelEnv: {
        ...env,
        OPENAI_BASE_URL: s.modelBaseUrl || env.OPENAI_BASE_URL,
        OPENAI_API_KEY: vault.get(MODEL_KEY_SECRET) ?? env.OPENAI_API_KEY,
        ANTHROPIC_API_KEY: vault.get(ANTHROPIC_KEY_SECRET) ?? env.ANTHROPIC_API_KEY,
      },
    };
  }

  return {
    'run.plan': async ({ runbookPath, agent, model }) => {
      const file = await readableRunbook(runbookPath);
      return resolveRunPlan(uiRequest(file, agent, model), await analyzeRunbookFile(file), env).plan;
    },
    'run.start': async ({ runbookPath, params, files, agent, model, timeoutSeconds, runAnyway }) => {
      await readableRunbook(runbookPath);
      try {
        const handle = await services.runner.start({
          ...uiRequest(runbookPath, agent, model),
          params,
          files,
          runAnyway,
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
