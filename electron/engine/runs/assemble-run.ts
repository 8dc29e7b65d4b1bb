import type { Settings } from '../../../shared/contract';
import type { CollectionEnvironment } from '../secrets/collection-env';
import type { SecretVault } from '../secrets/vault';
import { runCollection } from './prepare';
import { providerKeys } from './provider-keys';
import { withProviderSettings } from '../proxy/providers';
import type { ChoiceOrigins, RunDoor, RunOrder, RunRequest } from './run-request';


/** What fills in an order besides what the caller asked, wherever the engine runs. */
export interface RunSources {
  /** The process environment: provider variables, `JETTY_*` overrides. */
  env: NodeJS.ProcessEnv;
  /** Settings' defaults for runs, read at each assembly. */
  settings(): Pick<Settings, 'defaultAgent' | 'defaultModel' | 'modelBaseUrl' | 'defaultImage' | 'collectionImages' | 'providerBaseUrls' | 'endpoints'>;
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
  evaluation: "the evaluation's cell",
};

/**
 * The one way a front door (UI, REST, chat runbook mode, CLI, workflow step) turns an
 * order into a run request, with the same precedence everywhere: the order's choices,
 * else Settings' (agent, model, the built-in agent's endpoint; the image: the run's
 * collection's, else the default image), else the environment's (resolveRunPlan);
 * provider keys from the vault, else the environment; declared secrets the order does
 * not give from the run's collection environment, else the vault.
 */
export function assembleRun(order: RunOrder, sources: RunSources): RunRequest {
  const { door, ...asked } = order;
  const { vault } = sources;
  const settings = sources.settings();
  // Settings' provider base URLs and endpoints reach the run's gateway as the environment's.
  const env = withProviderSettings(sources.env, settings);
  const origin = (given: string | undefined, setting: string, label: string) => (given ? DOOR_NAMES[door] : setting ? `Settings → ${label}` : undefined);
  const collection = runCollection(order);
  const collectionEnv = sources.environment?.values(collection) ?? {};
  const collectionImage = settings.collectionImages[collection];
  const choiceOrigins: ChoiceOrigins = {
    agent: origin(order.agent, settings.defaultAgent, 'Default agent'),
    model: origin(order.model, settings.defaultModel, 'Default model'),
    image: order.image ? DOOR_NAMES[door] : collectionImage ? `Settings → Sandbox image of collection ${collection}` : settings.defaultImage ? 'Settings → Default image' : undefined,
    baseURL: order.baseURL ? DOOR_NAMES[door] : undefined,
    variables: settings.modelBaseUrl ? { OPENAI_BASE_URL: 'Settings → Model endpoint' } : {},
  };
  return {
    ...asked,
    agent: order.agent ?? (settings.defaultAgent || undefined),
    model: order.model ?? (settings.defaultModel || undefined),
    image: order.image ?? collectionImage ?? (settings.defaultImage || undefined),
    secretSource: (name) => collectionEnv[name] ?? vault?.get(name),
    choiceOrigins,
    modelEnv: {
      ...env,
      OPENAI_BASE_URL: settings.modelBaseUrl || env.OPENAI_BASE_URL,
      ...providerKeys(env, vault),
    },
  };
}
