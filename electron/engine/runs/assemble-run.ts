import type { Settings } from '../../../shared/contract';
import type { CollectionEnvironment } from '../secrets/collection-env';
import type { SecretVault } from '../secrets/vault';
import { runCollection } from './prepare';
import type { ChoiceOrigins, RunDoor, RunOrder, RunRequest } from './run-request';

/** The vault entries holding provider keys (Settings → Model API key, Anthropic API key); each else from the environment. */
export const PROVIDER_KEY_SECRETS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'];

/** What fills in an order besides what the caller asked, wherever the engine runs. */
export interface RunSources {
  /** The process environment: provider variables, `JETTY_*` overrides. */
  env: NodeJS.ProcessEnv;
  /** Settings' defaults for runs, read at each assembly. */
  settings(): Pick<Settings, 'defaultAgent' | 'defaultModel' | 'modelBaseUrl'>;
  /** Provider keys and declared secrets; null where the vault cannot be read (the CLI beside the app's keychain). */
  vault: Pick<SecretVault, 'get'> | null;
  /** Each collection's environment, for declared secrets; null where it cannot be read. */
  environment: Pick<CollectionEnvironment, 'values'> | null;
}

/** How the run plan names an order's own choices, by front door. */
const DOOR_NAMES: Record<RunDoor, string> = {
  ui: 'the run panel',
  rest: 'the request',
  chat: 'the chat request',
  cli: 'the command line',
  workflow: 'the workflow step',
};

/**
 * The one way a front door (UI, REST, chat runbook mode, CLI, workflow step) turns an
 * order into a run request, with the same precedence everywhere: the order's choices,
 * else Settings' (agent, model, the built-in agent's endpoint), else the environment's;
 * provider keys from the vault, else the environment; declared secrets the order does
 * not give from the run's collection environment, else the vault.
 */
export function assembleRun(order: RunOrder, sources: RunSources): RunRequest {
  const { door, ...asked } = order;
  const { env, vault } = sources;
  const settings = sources.settings();
  const origin = (given: string | undefined, setting: string, label: string) => (given ? DOOR_NAMES[door] : setting ? `Settings → ${label}` : undefined);
  const collectionEnv = sources.environment?.values(runCollection(order)) ?? {};
  const choiceOrigins: ChoiceOrigins = {
    agent: origin(order.agent, settings.defaultAgent, 'Default agent'),
    model: origin(order.model, settings.defaultModel, 'Default model'),
    baseURL: order.baseURL ? DOOR_NAMES[door] : undefined,
    variables: settings.modelBaseUrl ? { OPENAI_BASE_URL: 'Settings → Model endpoint' } : {},
  };
  return {
    ...asked,
    agent: order.agent ?? (settings.defaultAgent || undefined),
    model: order.model ?? (settings.defaultModel || undefined),
    secretSource: (name) => collectionEnv[name] ?? vault?.get(name),
    choiceOrigins,
    modelEnv: {
      ...env,
      OPENAI_BASE_URL: settings.modelBaseUrl || env.OPENAI_BASE_URL,
      ...Object.fromEntries(PROVIDER_KEY_SECRETS.map((name) => [name, vault?.get(name) ?? env[name]])),
    },
  };
}
