/**
 * `GET /v1/models`: the models the configured providers offer, asked of each provider
 * (OpenAI's and Anthropic's `data[].id`, Gemini's `models[].name`), named with the
 * provider's prefix so each id routes back to it. A provider without a key, or one that
 * does not answer within the timeout and size bound, is left out.
 */
import type { Dispatcher } from 'undici';
import type { Provider, ProviderRegistry } from './providers';
import { BadAnswerError, fetchJson } from './provider-json';
import { modelsRequest } from './upstream-request';
import { isObject, list, type Json } from '../wire/internal';

const LIST_TIMEOUT_MS = 3000;

function idsOf(body: unknown): string[] {
  if (!isObject(body)) return [];
  const openAi = list(body.data).map((m) => m.id);
  const gemini = list(body.models).map((m) => (typeof m.name === 'string' ? m.name.replace(/^models\//, '') : undefined));
  return [...openAi, ...gemini].filter((id): id is string => typeof id === 'string' && id !== '');
}

/** One model as both OpenAI's and Anthropic's clients read it (each ignores the other's fields). */
const modelEntry = (provider: string, id: string): Json => ({
  id: `${provider}/${id}`,
  object: 'model',
  created: 0,
  owned_by: provider,
  type: 'model',
  display_name: `${provider}/${id}`,
  created_at: '1970-01-01T00:00:00Z',
});

/** The provider's models: its own list where it answers one, else the catalog's. */
async function modelsOf(provider: Provider, dispatcher: Dispatcher, timeoutMs: number): Promise<Json[]> {
  const ids = await askedIds(provider, dispatcher, timeoutMs);
  return (ids.length > 0 ? ids : (provider.knownModels ?? [])).map((id) => modelEntry(provider.name, id));
}

async function askedIds(provider: Provider, dispatcher: Dispatcher, timeoutMs: number): Promise<string[]> {
  const probe = await probeModels(provider, dispatcher, timeoutMs);
  return probe.ok ? probe.ids : [];
}

/** Asks a provider for its model list: the ids, or why it could not be had (for Settings' "Test"). */
export async function probeModels(provider: Provider, dispatcher?: Dispatcher, timeoutMs = LIST_TIMEOUT_MS): Promise<{ ok: true; ids: string[] } | { ok: false; error: string }> {
  const { origin, path, headers } = modelsRequest(provider);
  try {
    const { status, json } = await fetchJson(`${origin}${path}`, { headers, timeoutMs, dispatcher });
    if (status >= 400) return { ok: false, error: `${origin}${path} answered HTTP ${status}${status === 401 || status === 403 ? ' (check its API key)' : ''}` };
    return { ok: true, ids: idsOf(json) };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e instanceof BadAnswerError) return { ok: false, error: `${origin}${path}: ${e.message}` };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { ok: false, error: `cannot reach ${origin}${path} (${reason})` };
  }
}

/** Providers a list asks: those that can be called (a key, or none needed), not REST-only or unsupported. */
const listed = (providers: ProviderRegistry): Provider[] => providers.list().filter((p) => !p.unsupported && !p.restOnly && (p.apiKey !== null || p.keyVariable === null));

/** The model list over every provider that has a key (or needs none), in OpenAI's and Anthropic's list shape at once. */
export async function listModels(providers: ProviderRegistry, dispatcher: Dispatcher, timeoutMs = LIST_TIMEOUT_MS): Promise<Json> {
  const lists = await Promise.all(listed(providers).map((p) => modelsOf(p, dispatcher, timeoutMs)));
  const data = lists.flat();
  return { object: 'list', data, has_more: false, first_id: (data[0]?.id as string | undefined) ?? null, last_id: (data.at(-1)?.id as string | undefined) ?? null };
}

/** One model by its id (`groq/llama-3.3-70b`, or a bare name a provider claims), asked of its provider only; null when it has no such model. */
export async function findModel(providers: ProviderRegistry, dispatcher: Dispatcher, id: string, timeoutMs = LIST_TIMEOUT_MS): Promise<Json | null> {
  let provider: Provider;
  try {
    provider = providers.resolve(id).provider;
  } catch {
    return null;
  }
  const models = await modelsOf(provider, dispatcher, timeoutMs);
  return models.find((m) => m.id === id || m.id === `${provider.name}/${id}`) ?? null;
}
