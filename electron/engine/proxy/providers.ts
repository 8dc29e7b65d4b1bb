/**
 * The providers a gateway call can reach, chosen by the model's prefix:
 * `openai/gpt-4o` → OpenAI with model `gpt-4o`; `local/qwen` → a user-defined endpoint
 * named `local`. Each provider speaks one wire API (OpenAI and OpenRouter chat completions,
 * Anthropic its Messages API, Gemini generateContent; an endpoint the one it is set to,
 * chat completions by default); the gateway translates a call in another API to it.
 */
import type { WireApiName } from '../wire';

export type WireFormat = WireApiName;

export interface Provider {
  /** The model prefix that selects it (`openai`, `anthropic`, `local`…). */
  name: string;
  /** Base URL ending before `/chat/completions` or `/responses` (OpenAI), `/messages` (Anthropic), `/models/…` (Gemini). */
  baseUrl: string;
  apiKey: string | null;
  wire: WireFormat;
  /** The environment variable that holds the key, named in errors when it is missing. */
  keyVariable: string | null;
  /** Speaks only its own REST API (Replicate): reached by workflow steps, not by chat calls. */
  restOnly?: boolean;
}

/** An endpoint the user defines in settings (e.g. a local model server), OpenAI-compatible unless `wire` says otherwise. */
export interface CustomEndpoint {
  name: string;
  baseUrl: string;
  apiKey?: string | null;
  /** The wire API it speaks (default chat completions). */
  wire?: WireFormat;
}

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

interface BuiltIn {
  name: string;
  wire: WireFormat;
  defaultBaseUrl: string;
  baseUrlVariable: string;
  keyVariable: string;
  /** Bare model names (no prefix) that belong to this provider. */
  bareModels: RegExp;
  /** A variable that may name another wire API the provider speaks instead (`OPENAI_WIRE_API=responses`). */
  wireVariable?: { name: string; allowed: WireFormat[] };
  /** A REST-only provider's API version segment, added to a base URL without it (`/v1`). */
  restVersion?: string;
}

const BUILT_INS: BuiltIn[] = [
  {
    name: 'openai',
    wire: 'chat-completions',
    defaultBaseUrl: 'https://api.openai.com/v1',
    baseUrlVariable: 'OPENAI_BASE_URL',
    keyVariable: 'OPENAI_API_KEY',
    bareModels: /^(gpt-|o\d|chatgpt-|dall-e-)/,
    // OpenAI itself speaks Responses too; OpenAI-compatible servers mostly only chat completions.
    wireVariable: { name: 'OPENAI_WIRE_API', allowed: ['chat-completions', 'responses'] },
  },
  {
    name: 'anthropic',
    wire: 'anthropic-messages',
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    baseUrlVariable: 'ANTHROPIC_BASE_URL',
    keyVariable: 'ANTHROPIC_API_KEY',
    bareModels: /^claude-/,
  },
  {
    name: 'openrouter',
    wire: 'chat-completions',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    baseUrlVariable: 'OPENROUTER_BASE_URL',
    keyVariable: 'OPENROUTER_API_KEY',
    bareModels: /^$/,
  },
  {
    name: 'gemini',
    wire: 'gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    // The variable gemini-cli reads: the API's root, before `/v1beta`.
    baseUrlVariable: 'GOOGLE_GEMINI_BASE_URL',
    keyVariable: 'GEMINI_API_KEY',
    bareModels: /^gemini-/,
  },
  {
    name: 'replicate',
    wire: 'chat-completions',
    defaultBaseUrl: 'https://api.replicate.com',
    baseUrlVariable: 'REPLICATE_API_BASE_URL',
    keyVariable: 'REPLICATE_API_TOKEN',
    bareModels: /^$/,
    restVersion: '/v1',
  },
];

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function normaliseBaseUrl(raw: string, source: string): string {
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

export interface ProviderRegistryOptions {
  env?: NodeJS.ProcessEnv;
  endpoints?: CustomEndpoint[];
  /** Where a model no prefix or known name places goes (a run's: its agent's provider); default none (refused). */
  fallbackProvider?: string;
  /** Refuse calls to a built-in provider without a key (default true); false lets the provider answer for itself (a keyless local server). */
  requireKeys?: boolean;
  /** The only providers calls may reach (a run's: the ones its agent and model need); default every one. */
  only?: readonly string[];
}

/** Builds the registry from the environment and the user's endpoints; validates both. */
export function createProviderRegistry(options: ProviderRegistryOptions = {}) {
  const env = options.env ?? process.env;
  const providers = new Map<string, Provider>();
  for (const b of BUILT_INS) {
    const configured = env[b.baseUrlVariable]?.trim();
    const base = configured ? normaliseBaseUrl(configured, b.baseUrlVariable) : b.defaultBaseUrl;
    const wire = b.wireVariable?.allowed.find((w) => w === env[b.wireVariable!.name]?.trim()) ?? b.wire;
    const rest = b.restVersion;
    providers.set(b.name, {
      name: b.name,
      wire,
      baseUrl: rest ? (base.endsWith(rest) ? base : `${base}${rest}`) : withVersion(base, wire),
      apiKey: env[b.keyVariable]?.trim() || null,
      keyVariable: b.keyVariable,
      ...(rest ? { restOnly: true } : {}),
    });
  }
  for (const e of options.endpoints ?? []) {
    if (!NAME.test(e.name)) {
      throw new Error(`endpoint name "${e.name}": use lowercase letters, digits, "-" or "_" (it becomes the model prefix)`);
    }
    if (providers.has(e.name)) throw new Error(`endpoint name "${e.name}" is already taken by a provider`);
    const wire = e.wire ?? 'chat-completions';
    providers.set(e.name, {
      name: e.name,
      wire,
      baseUrl: withVersion(normaliseBaseUrl(e.baseUrl, `endpoint ${e.name}`), wire),
      apiKey: e.apiKey?.trim() || null,
      keyVariable: null,
    });
  }

  function byBareName(model: string): Provider | undefined {
    const b = BUILT_INS.find((candidate) => candidate.bareModels.test(model));
    return b && providers.get(b.name);
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
        const names = [...providers.keys()].map((n) => `${n}/`).join(', ');
        throw new ProviderError(400, `no provider for model "${model}": prefix it with one of ${names}`, 'unknown_provider');
      }
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
