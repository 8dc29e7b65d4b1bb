/**
 * The provider catalog: one row per provider the passthrough reaches by model prefix
 * (`groq/llama-3.3-70b-versatile`), with its default base URL, the variables that hold its
 * key and override its base URL, the wire API it speaks and its quirks. Data only: the
 * registry (`providers.ts`) builds providers from it, Settings lists it, the model list
 * falls back to it. Facts: shared/docs/providers.md.
 *
 * Every row's base URL is overridden by `<PREFIX>_BASE_URL` (`-` as `_`, upper case), by
 * the older variables a row names first, and by Settings. A row marked `unsupported`
 * needs request signing or deployment URLs the passthrough does not make: a call to it is
 * refused with the reason, never sent half-made.
 */
import type { WireApiName } from '../wire';

/** The local servers Settings detects on their default ports (local-servers.ts). */
export type LocalServerKind = 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm';

/** Request changes a provider needs on chat completions (applied to every body sent to it). */
export interface ProviderQuirks {
  /** Message content must be a string, not a list of parts (Zhipu, DashScope). */
  stringContent?: boolean;
  /** No `strict` or `additionalProperties` in tool schemas (vLLM's parsers refuse them). */
  plainToolSchemas?: boolean;
}

export interface CatalogEntry {
  /** The model prefix (`groq`), lower case. */
  prefix: string;
  /** How Settings names it. */
  label: string;
  /** Base URL ending before `/chat/completions` (OpenAI wire), `/messages` (Anthropic), `/models/…` (Gemini). */
  baseUrl: string;
  /** Variables holding its key, the first named in errors; empty: it takes none. */
  keyVariables: readonly string[];
  /** A key is sent when one is set, but none is required (local servers). */
  keyOptional?: boolean;
  wire: WireApiName;
  /** Variables that override the base URL before `<PREFIX>_BASE_URL` (the ones clients already use). */
  baseUrlVariables?: readonly string[];
  /** Headers every request to it carries (attribution, API versions). */
  headers?: Readonly<Record<string, string>>;
  /** Bare model names (no prefix) that belong to it. */
  bareModels?: RegExp;
  /** A variable that may name another wire API it speaks instead (`OPENAI_WIRE_API=responses`). */
  wireVariable?: { name: string; allowed: readonly WireApiName[] };
  /** Speaks only its own REST API (Replicate): reached by workflow steps, not by chat calls; its version segment. */
  restVersion?: string;
  /** A local server Settings detects, and on which port by default. */
  local?: LocalServerKind;
  /** Why calls to it are refused (signing, deployment URLs): listed, not half-working. */
  unsupported?: string;
  /** Chat completions only: it has no `tools` (calls with tools are refused before they go). */
  noTools?: boolean;
  quirks?: ProviderQuirks;
  /** Models listed when the provider gives no list (or is not reachable). */
  models?: readonly string[];
}

const oai = (prefix: string, label: string, baseUrl: string, keyVariables: readonly string[], extra: Partial<CatalogEntry> = {}): CatalogEntry => ({
  prefix,
  label,
  baseUrl,
  keyVariables,
  wire: 'chat-completions',
  ...extra,
});

const local = (prefix: string, label: string, baseUrl: string, kind: LocalServerKind, keyVariables: readonly string[]): CatalogEntry => oai(prefix, label, baseUrl, keyVariables, { keyOptional: true, local: kind });

export const CATALOG: readonly CatalogEntry[] = [
  {
    prefix: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    keyVariables: ['OPENAI_API_KEY'],
    wire: 'chat-completions',
    bareModels: /^(gpt-|o\d|chatgpt-|dall-e-|text-embedding-)/,
    // OpenAI itself speaks Responses too; OpenAI-compatible servers mostly only chat completions.
    wireVariable: { name: 'OPENAI_WIRE_API', allowed: ['chat-completions', 'responses'] },
    models: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o4-mini', 'text-embedding-3-small'],
  },
  {
    prefix: 'anthropic',
    label: 'Anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    keyVariables: ['ANTHROPIC_API_KEY'],
    wire: 'anthropic-messages',
    bareModels: /^claude-/,
    models: ['claude-sonnet-4-6', 'claude-opus-4-1', 'claude-haiku-4-5'],
  },
  {
    prefix: 'gemini',
    label: 'Google Gemini',
    // The API's root, before `/v1beta` (what gemini-cli's GOOGLE_GEMINI_BASE_URL names).
    baseUrl: 'https://generativelanguage.googleapis.com',
    keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY'],
    baseUrlVariables: ['GOOGLE_GEMINI_BASE_URL'],
    wire: 'gemini',
    bareModels: /^gemini-/,
    models: ['gemini-2.5-pro', 'gemini-2.5-flash', 'text-embedding-004'],
  },
  oai('gemini-openai', 'Google Gemini (OpenAI layer)', 'https://generativelanguage.googleapis.com/v1beta/openai', ['GEMINI_API_KEY', 'GOOGLE_API_KEY']),
  oai('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', ['OPENROUTER_API_KEY'], { headers: { 'HTTP-Referer': 'https://jetty.io', 'X-Title': 'Jetty Desktop' } }),
  oai('groq', 'Groq', 'https://api.groq.com/openai/v1', ['GROQ_API_KEY']),
  oai('mistral', 'Mistral', 'https://api.mistral.ai/v1', ['MISTRAL_API_KEY']),
  oai('deepseek', 'DeepSeek', 'https://api.deepseek.com', ['DEEPSEEK_API_KEY'], { models: ['deepseek-chat', 'deepseek-reasoner'] }),
  oai('together', 'Together AI', 'https://api.together.xyz/v1', ['TOGETHER_API_KEY', 'TOGETHER_AI_API_KEY', 'TOGETHERAI_API_KEY']),
  oai('fireworks', 'Fireworks AI', 'https://api.fireworks.ai/inference/v1', ['FIREWORKS_API_KEY']),
  oai('xai', 'xAI', 'https://api.x.ai/v1', ['XAI_API_KEY']),
  oai('cerebras', 'Cerebras', 'https://api.cerebras.ai/v1', ['CEREBRAS_API_KEY']),
  oai('perplexity', 'Perplexity', 'https://api.perplexity.ai', ['PERPLEXITY_API_KEY', 'PERPLEXITYAI_API_KEY'], { noTools: true, models: ['sonar', 'sonar-pro'] }),
  oai('deepinfra', 'DeepInfra', 'https://api.deepinfra.com/v1/openai', ['DEEPINFRA_API_KEY']),
  oai('nebius', 'Nebius', 'https://api.tokenfactory.nebius.com/v1', ['NEBIUS_API_KEY']),
  oai('sambanova', 'SambaNova', 'https://api.sambanova.ai/v1', ['SAMBANOVA_API_KEY']),
  oai('hyperbolic', 'Hyperbolic', 'https://api.hyperbolic.xyz/v1', ['HYPERBOLIC_API_KEY']),
  oai('novita', 'Novita AI', 'https://api.novita.ai/openai', ['NOVITA_API_KEY']),
  oai('moonshot', 'Moonshot AI', 'https://api.moonshot.ai/v1', ['MOONSHOT_API_KEY']),
  oai('zai', 'Z.ai (Zhipu)', 'https://api.z.ai/api/paas/v4', ['ZHIPU_API_KEY', 'ZAI_API_KEY'], { quirks: { stringContent: true } }),
  oai('dashscope', 'Alibaba DashScope (Qwen)', 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', ['DASHSCOPE_API_KEY'], { quirks: { stringContent: true } }),
  oai('minimax', 'MiniMax', 'https://api.minimax.io/v1', ['MINIMAX_API_KEY']),
  oai('cohere', 'Cohere (compatibility API)', 'https://api.cohere.ai/compatibility/v1', ['COHERE_API_KEY']),
  oai('huggingface', 'Hugging Face Inference Providers', 'https://router.huggingface.co/v1', ['HF_TOKEN', 'HUGGINGFACE_API_KEY']),
  oai('github', 'GitHub Models', 'https://models.github.ai/inference', ['GITHUB_TOKEN', 'GITHUB_API_KEY']),
  oai('nvidia', 'NVIDIA NIM', 'https://integrate.api.nvidia.com/v1', ['NVIDIA_API_KEY', 'NVIDIA_NIM_API_KEY']),
  oai('ollama-cloud', 'Ollama Cloud', 'https://ollama.com/v1', ['OLLAMA_API_KEY']),
  local('ollama', 'Ollama', 'http://127.0.0.1:11434/v1', 'ollama', []),
  local('lmstudio', 'LM Studio', 'http://127.0.0.1:1234/v1', 'lmstudio', ['LMSTUDIO_API_KEY', 'LM_STUDIO_API_KEY']),
  { ...local('vllm', 'vLLM', 'http://127.0.0.1:8000/v1', 'vllm', ['VLLM_API_KEY', 'HOSTED_VLLM_API_KEY']), quirks: { plainToolSchemas: true } },
  local('llamacpp', 'llama.cpp server', 'http://127.0.0.1:8080/v1', 'llamacpp', ['LLAMACPP_API_KEY']),
  {
    prefix: 'replicate',
    label: 'Replicate',
    baseUrl: 'https://api.replicate.com',
    keyVariables: ['REPLICATE_API_TOKEN'],
    baseUrlVariables: ['REPLICATE_API_BASE_URL'],
    wire: 'chat-completions',
    restVersion: '/v1',
  },
  oai('azure', 'Azure OpenAI', 'https://{resource}.openai.azure.com/openai/v1', ['AZURE_API_KEY'], {
    unsupported: 'Azure OpenAI needs its api-key header and a deployment per model, which the passthrough does not make yet: add the deployment as a custom endpoint in Settings → Model endpoints, or use an OpenAI-compatible proxy in front of it',
  }),
  oai('bedrock', 'Amazon Bedrock', 'https://bedrock-runtime.{region}.amazonaws.com', ['AWS_BEARER_TOKEN_BEDROCK'], {
    unsupported: "Amazon Bedrock needs SigV4-signed requests, which the passthrough does not make yet: add Bedrock's OpenAI-compatible endpoint (https://bedrock-mantle.<region>.api.aws/v1, with a Bedrock API key) as a custom endpoint in Settings → Model endpoints",
  }),
  oai('vertex', 'Google Vertex AI', 'https://{location}-aiplatform.googleapis.com/v1', ['GOOGLE_APPLICATION_CREDENTIALS'], {
    unsupported: 'Google Vertex AI needs short-lived OAuth tokens minted from a service account, which the passthrough does not make yet: use the gemini/ prefix with a Gemini API key, or a custom endpoint',
  }),
];

/** The variable that overrides a row's base URL by convention: `<PREFIX>_BASE_URL`. */
export const baseUrlVariableOf = (prefix: string): string => `${prefix.toUpperCase().replace(/-/g, '_')}_BASE_URL`;

/** Every variable that overrides a row's base URL, in the order they are read. */
export const baseUrlVariablesOf = (entry: CatalogEntry): string[] => [...(entry.baseUrlVariables ?? []), baseUrlVariableOf(entry.prefix)].filter((v, i, all) => all.indexOf(v) === i);

const BY_PREFIX = new Map(CATALOG.map((entry) => [entry.prefix, entry]));

export const catalogEntry = (prefix: string): CatalogEntry | undefined => BY_PREFIX.get(prefix);

/** Every variable any row reads a key from (the vault may hold each: Settings sets them). */
export const CATALOG_KEY_VARIABLES: readonly string[] = [...new Set(CATALOG.filter((e) => !e.unsupported).flatMap((e) => e.keyVariables))];

/**
 * The environment with Settings' base URLs in it, each under its row's first variable (the
 * one read first), so every reader of the environment — the passthrough, a run's gateway,
 * an agent CLI — sees the same address. Unknown prefixes are ignored.
 */
export function withBaseUrls(env: NodeJS.ProcessEnv, baseUrls: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  if (!baseUrls) return env;
  const out: NodeJS.ProcessEnv = { ...env };
  for (const [prefix, url] of Object.entries(baseUrls)) {
    const entry = BY_PREFIX.get(prefix);
    if (entry && url.trim()) out[baseUrlVariablesOf(entry)[0]] = url.trim();
  }
  return out;
}
