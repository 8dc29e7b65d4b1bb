/**
 * Local model servers — Ollama, LM Studio, llama.cpp's server, vLLM — found at their
 * configured base URLs (the catalog's default ports unless overridden), each model with
 * whether it takes tools and its context size, as the servers themselves say:
 * Ollama's `/api/tags` and `/api/show` (`capabilities`, `<arch>.context_length`, `num_ctx`),
 * LM Studio's `/api/v1/models` (or `/api/v0/models`: `capabilities`, `max_context_length`),
 * llama.cpp's `/health` and `/props` (`chat_template_caps.supports_tools`, `n_ctx`), vLLM's
 * `/v1/models` (`owned_by: "vllm"`, `max_model_len`; tools unknown until a call with tools
 * succeeds). Every probe is loopback-or-configured, bounded in time and size. What was
 * learned is kept (`knownCapabilities`) for the run plan's warnings.
 */
import { isObject, list, type Json } from '../wire/internal';
import type { LocalServerKind } from './catalog';
import { fetchJson } from './provider-json';
import type { Provider, ProviderRegistry } from './providers';

export type ToolSupport = 'yes' | 'no' | 'unknown';

export interface LocalModel {
  /** As a call names it: `<prefix>/<model>`. */
  id: string;
  tools: ToolSupport;
  /** Context window in tokens (the configured one where the server says, else the model's), or null when unknown. */
  context: number | null;
}

export interface LocalServerStatus {
  kind: LocalServerKind;
  prefix: string;
  baseUrl: string;
  reachable: boolean;
  /** Why it is not reachable, or why its models could not be listed. */
  error: string | null;
  models: LocalModel[];
}

const PROBE_TIMEOUT_MS = 1500;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** Most models asked about one by one (Ollama's `/api/show`). */
const MAX_SHOWN = 50;

/** A model as a server lists it, before it is named with the provider's prefix. */
type Found = Omit<LocalModel, 'id'> & { name: string };
const positive = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : null);

/** The server's root: the base URL without its `/v1`. */
const rootOf = (baseUrl: string): string => baseUrl.replace(/\/v1$/, '');

async function getJson(url: string, key: string | null, body?: Json): Promise<unknown> {
  const { status, json } = await fetchJson(url, { headers: key ? { authorization: `Bearer ${key}` } : {}, body, timeoutMs: PROBE_TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES });
  if (status >= 400) throw new Error(`HTTP ${status} from ${new URL(url).pathname}`);
  return json;
}

async function ollama(root: string, key: string | null): Promise<Found[]> {
  const tags = await getJson(`${root}/api/tags`, key);
  const names = list(isObject(tags) ? tags.models : undefined)
    .map((m) => (typeof m.name === 'string' ? m.name : typeof m.model === 'string' ? m.model : ''))
    .filter(Boolean);
  return Promise.all(
    names.slice(0, MAX_SHOWN).map(async (name) => {
      try {
        const show = await getJson(`${root}/api/show`, key, { model: name });
        if (!isObject(show)) return { name, tools: 'unknown' as const, context: null };
        const caps = Array.isArray(show.capabilities) ? show.capabilities : null;
        const info = isObject(show.model_info) ? show.model_info : {};
        const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : '';
        const numCtx = typeof show.parameters === 'string' ? /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show.parameters) : null;
        return { name, tools: caps ? (caps.includes('tools') ? ('yes' as const) : ('no' as const)) : ('unknown' as const), context: numCtx ? Number(numCtx[1]) : positive(info[`${arch}.context_length`]) };
      } catch {
        return { name, tools: 'unknown' as const, context: null };
      }
    }),
  );
}

function lmStudioTools(caps: unknown): ToolSupport {
  if (Array.isArray(caps)) return caps.includes('tool_use') || caps.includes('tools') ? 'yes' : 'no';
  if (isObject(caps)) return caps.trained_for_tool_use === true || caps.tool_use === true ? 'yes' : 'no';
  return 'unknown';
}

async function lmStudio(root: string, key: string | null): Promise<Found[]> {
  let answer: unknown;
  try {
    answer = await getJson(`${root}/api/v1/models`, key);
  } catch {
    answer = await getJson(`${root}/api/v0/models`, key);
  }
  const models = isObject(answer) ? [...list(answer.models), ...list(answer.data)] : [];
  return models
    .filter((m) => m.type === undefined || m.type === 'llm' || m.type === 'vlm')
    .map((m) => ({ name: String(m.key ?? m.id ?? ''), tools: lmStudioTools(m.capabilities), context: positive(m.max_context_length) ?? positive(m.loaded_context_length) }))
    .filter((m) => m.name);
}

async function llamaCpp(root: string, baseUrl: string, key: string | null): Promise<Found[]> {
  const health = await getJson(`${root}/health`, key);
  if (!isObject(health) || health.status !== 'ok') throw new Error('its /health does not say ok (still loading?)');
  const props = await getJson(`${root}/props`, key).catch(() => null);
  const caps = isObject(props) && isObject(props.chat_template_caps) ? props.chat_template_caps : null;
  const tools: ToolSupport = caps ? (caps.supports_tools === true || caps.supports_tool_calls === true ? 'yes' : 'no') : 'unknown';
  const settings = isObject(props) && isObject(props.default_generation_settings) ? props.default_generation_settings : {};
  const context = positive(settings.n_ctx) ?? (isObject(props) ? positive(props.n_ctx) : null);
  const models = await getJson(`${baseUrl}/models`, key).catch(() => null);
  const ids = list(isObject(models) ? models.data : undefined).map((m) => String(m.id ?? '')).filter(Boolean);
  return (ids.length ? ids : ['default']).map((name) => ({ name, tools, context }));
}

async function vllm(baseUrl: string, key: string | null): Promise<Found[]> {
  const answer = await getJson(`${baseUrl}/models`, key);
  const models = list(isObject(answer) ? answer.data : undefined);
  if (!models.some((m) => m.owned_by === 'vllm')) throw new Error('it answers /v1/models, but not as vLLM (no owned_by "vllm")');
  return models.map((m) => ({ name: String(m.id ?? ''), tools: 'unknown' as const, context: positive(m.max_model_len) })).filter((m) => m.name);
}

/** What was learned of each local model, by `<prefix>/<model>`. */
const known = new Map<string, LocalModel>();

/** Probes one local server (its provider from the registry: base URL and optional key). */
export async function probeLocalServer(provider: Provider): Promise<LocalServerStatus> {
  const kind = provider.local!;
  const root = rootOf(provider.baseUrl);
  const status: LocalServerStatus = { kind, prefix: provider.name, baseUrl: provider.baseUrl, reachable: false, error: null, models: [] };
  try {
    const found =
      kind === 'ollama' ? await ollama(root, provider.apiKey) : kind === 'lmstudio' ? await lmStudio(root, provider.apiKey) : kind === 'llamacpp' ? await llamaCpp(root, provider.baseUrl, provider.apiKey) : await vllm(provider.baseUrl, provider.apiKey);
    status.reachable = true;
    status.models = found.map(({ name, tools, context }) => ({ id: `${provider.name}/${name}`, tools, context }));
    for (const m of status.models) known.set(m.id, m);
  } catch (error) {
    const e = error as Error & { cause?: { code?: string }; code?: string };
    status.error = e.cause?.code === 'ECONNREFUSED' || e.code === 'ECONNREFUSED' ? `nothing listens at ${root}` : e.name === 'TimeoutError' ? `no answer from ${root} within ${PROBE_TIMEOUT_MS} ms` : e.message;
  }
  return status;
}

/** Probes every local server the registry knows (at its configured or default address), in parallel. */
export function detectLocalServers(providers: ProviderRegistry): Promise<LocalServerStatus[]> {
  return Promise.all(providers.list().filter((p) => p.local).map(probeLocalServer));
}

/** What a probe learned of a model (`ollama/qwen3:4b`), or null. */
export function knownCapabilities(model: string): LocalModel | null {
  return known.get(model) ?? null;
}
