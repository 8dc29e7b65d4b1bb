/**
 * The providers a gateway call can reach, chosen by the model's prefix:
 * `openai/gpt-4o` → OpenAI with model `gpt-4o`; `groq/llama-3.3-70b` → Groq by the catalog
 * (`catalog.ts`, every row a provider); `local/qwen` → a user-defined endpoint named `local`.
 * Each provider speaks one wire API (most chat completions, Anthropic its Messages API,
 * Gemini generateContent; an endpoint the one it is set to, chat completions by default);
 * the gateway translates a call in another API to it.
 */
import type { WireApiName } from '../wire';
import { baseUrlVariablesOf, CATALOG, withBaseUrls, type CatalogEntry, type LocalServerKind, type ProviderQuirks } from './catalog';

export type WireFormat = WireApiName;

export interface Provider {
  /** The model prefix that selects it (`openai`, `anthropic`, `local`…). */
  name: string;
  /** Base URL ending before `/chat/completions` or `/responses` (OpenAI), `/messages` (Anthropic), `/models/…` (Gemini). */
  baseUrl: string;
  apiKey: string | null;
  wire: WireFormat;
  /** The environment variable that holds the key, named in errors when it is missing; null when it needs none. */
  keyVariable: string | null;
  /** Speaks only its own REST API (Replicate): reached by workflow steps, not by chat calls. */
  restOnly?: boolean;
  /** Headers every request to it carries (the catalog's: attribution, versions). */
  headers?: Readonly<Record<string, string>>;
  /** Why calls to it are refused (request signing or deployment URLs the passthrough does not make). */
  unsupported?: string;
  /** It has no tools: a chat call with tools is refused before it goes. */
  noTools?: boolean;
  quirks?: ProviderQuirks;
  /** A local server of this kind (detected in Settings, asked for its models' capabilities). */
  local?: LocalServerKind;
  /** Models the catalog names, listed when the provider gives no list. */
  knownModels?: readonly string[];
}

/** An endpoint the user defines in settings (e.g. a model server), OpenAI-compatible unless `wire` says otherwise. */
export interface CustomEndpoint {
  name: string;
  baseUrl: string;
  apiKey?: string | null;
  /** The wire API it speaks (default chat completions). */
  wire?: WireFormat;
}

/** The variable a custom endpoint's key is read from (Settings keeps it in the secret store under this name). */
export const endpointKeyVariable = (name: string): string => `ENDPOINT_${name.toUpperCase().replace(/-/g, '_')}_API_KEY`;

/** The variable that carries Settings' custom endpoints (JSON, keys left out) to every reader of the environment. */
export const ENDPOINTS_VARIABLE = 'JETTY_ENDPOINTS';

export interface ResolvedModel {
  provider: Provider;
  /** The model name the provider knows (the prefix removed). */
  model: string;
}

/** A request the proxy cannot route; carries the HTTP status to answer with. */
export class ProviderError extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export const ENDPOINT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function normaliseBaseUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${source}: not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${source}: only http and https base URLs are supported, got ${url.protocol}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** A base URL with the API's version segment (Anthropic's and Gemini's SDKs take one without it; accept both). */
function withVersion(url: string, wire: WireFormat): string {
  if (wire === 'anthropic-messages') return /\/v1$/.test(url) ? url : `${url}/v1`;
  if (wire === 'gemini') return /\/v1(beta|alpha)?$/.test(url) ? url : `${url}/v1beta`;
  return url;
}

/** Settings' custom endpoints from the environment (`JETTY_ENDPOINTS`, a JSON list), each key from its variable. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv): CustomEndpoint[] {
  const text = env[ENDPOINTS_VARIABLE]?.trim();
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${ENDPOINTS_VARIABLE} is not JSON: give a list of {"name", "baseUrl", "wire"?}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${ENDPOINTS_VARIABLE} must be a JSON list of {"name", "baseUrl", "wire"?}`);
  return parsed.map((e: { name?: unknown; baseUrl?: unknown; wire?: unknown }) => {
    if (typeof e?.name !== 'string' || typeof e.baseUrl !== 'string') throw new Error(`${ENDPOINTS_VARIABLE}: each endpoint needs a "name" and a "baseUrl"`);
    return { name: e.name, baseUrl: e.baseUrl, apiKey: env[endpointKeyVariable(e.name)] ?? null, ...(typeof e.wire === 'string' ? { wire: e.wire as WireFormat } : {}) };
  });
}

/** Settings' provider choices: base URLs by prefix, and custom endpoints (their keys live in the secret store). */
export interface ProviderSettings {
  providerBaseUrls?: Readonly<Record<string, string>>;
  endpoints?: readonly Omit<CustomEndpoint, 'apiKey'>[];
}

/**
 * The environment with Settings' provider choices in it — each base URL under its
 * provider's first variable, the endpoints as `JETTY_ENDPOINTS` — so every reader of the
 * environment (the passthrough, a run's gateway, an agent CLI) sees the same providers.
 */
export function withProviderSettings(env: NodeJS.ProcessEnv, settings: ProviderSettings): NodeJS.ProcessEnv {
  const out = withBaseUrls(env, settings.providerBaseUrls);
  if (!settings.endpoints?.length) return out;
  return { ...out, [ENDPOINTS_VARIABLE]: JSON.stringify(settings.endpoints.map(({ name, baseUrl, wire }) => ({ name, baseUrl, ...(wire ? { wire } : {}) }))) };
}

export interface ProviderRegistryOptions {
  env?: NodeJS.ProcessEnv;
  /** The user's endpoints; default those `JETTY_ENDPOINTS` names. */
  endpoints?: CustomEndpoint[];
  /** Where a model no prefix or known name places goes (a run's: its agent's provider); default none (refused). */
  fallbackProvider?: string;
  /** Refuse calls to a built-in provider without a key (default true); false lets the provider answer for itself (a keyless local server). */
  requireKeys?: boolean;
  /** The only providers calls may reach (a run's: the ones its agent and model need); default every one. */
  only?: readonly string[];
}

const WIRES: readonly WireFormat[] = ['chat-completions', 'responses', 'anthropic-messages', 'gemini'];

/** The provider a catalog row makes in `env`. */
function catalogProvider(entry: CatalogEntry, env: NodeJS.ProcessEnv): Provider {
  const variable = baseUrlVariablesOf(entry).find((v) => env[v]?.trim());
  const base = variable ? normaliseBaseUrl(env[variable]!.trim(), variable) : entry.baseUrl;
  const wire = entry.wireVariable?.allowed.find((w) => w === env[entry.wireVariable!.name]?.trim()) ?? entry.wire;
  const rest = entry.restVersion;
  const apiKey = entry.keyVariables.map((v) => env[v]?.trim()).find(Boolean) ?? null;
  return defined({
    name: entry.prefix,
    wire,
    baseUrl: rest ? (base.endsWith(rest) ? base : `${base}${rest}`) : withVersion(base, wire),
    apiKey,
    keyVariable: entry.keyOptional || entry.keyVariables.length === 0 ? null : entry.keyVariables[0],
    restOnly: rest ? true : undefined,
    headers: entry.headers,
    unsupported: entry.unsupported,
    noTools: entry.noTools,
    quirks: entry.quirks,
    local: entry.local,
    knownModels: entry.models,
  });
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Builds the registry from the catalog, the environment and the user's endpoints; validates both. */
export function createProviderRegistry(options: ProviderRegistryOptions = {}) {
  const env = options.env ?? process.env;
  const providers = new Map<string, Provider>();
  for (const entry of CATALOG) providers.set(entry.prefix, catalogProvider(entry, env));
  for (const e of options.endpoints ?? endpointsFromEnv(env)) {
    if (!ENDPOINT_NAME.test(e.name)) {
      throw new Error(`endpoint name "${e.name}": use lowercase letters, digits, "-" or "_" (it becomes the model prefix)`);
    }
    if (providers.has(e.name)) throw new Error(`endpoint name "${e.name}" is already taken by a provider`);
    const wire = e.wire ?? 'chat-completions';
    if (!WIRES.includes(wire)) throw new Error(`endpoint ${e.name}: wire must be one of ${WIRES.join(', ')}`);
    providers.set(e.name, {
      name: e.name,
      wire,
      baseUrl: withVersion(normaliseBaseUrl(e.baseUrl, `endpoint ${e.name}`), wire),
      apiKey: e.apiKey?.trim() || null,
      keyVariable: null,
    });
  }

  function byBareName(model: string): Provider | undefined {
    const entry = CATALOG.find((candidate) => candidate.bareModels?.test(model));
    return entry && providers.get(entry.prefix);
  }

  return {
    list: (): Provider[] => [...providers.values()],

    /** The provider and upstream model for a request's `model`; throws ProviderError. */
    resolve(model: unknown): ResolvedModel {
      if (typeof model !== 'string' || model.trim() === '') {
        throw new ProviderError(400, 'model is required, e.g. "openai/gpt-4o" or "anthropic/claude-sonnet-4.6"', 'invalid_model');
      }
      const slash = model.indexOf('/');
      const prefixed = slash > 0 ? providers.get(model.slice(0, slash)) : undefined;
      const provider = prefixed ?? byBareName(model) ?? (options.fallbackProvider ? providers.get(options.fallbackProvider) : undefined);
      if (!provider) {
        const names = [...providers.values()].filter((p) => !p.unsupported).map((p) => `${p.name}/`).join(', ');
        throw new ProviderError(400, `no provider for model "${model}": prefix it with one of ${names}`, 'unknown_provider');
      }
      if (provider.unsupported) throw new ProviderError(400, `provider ${provider.name} is not supported yet: ${provider.unsupported}`, 'provider_not_supported');
      if (options.only && !options.only.includes(provider.name)) {
        throw new ProviderError(403, `provider ${provider.name} is not open to this run: its token reaches only ${options.only.join(', ')} (the providers of its agent and model)`, 'provider_not_allowed');
      }
      if (!provider.apiKey && provider.keyVariable && options.requireKeys !== false) {
        throw new ProviderError(401, `provider ${provider.name} has no API key: set ${provider.keyVariable}`, 'missing_api_key');
      }
      return { provider, model: prefixed ? model.slice(slash + 1) : model };
    },
  };
}
export type ProviderRegistry = ReturnType<typeof createProviderRegistry>;
