/**
 * `GET /v1/models`: the models the configured providers offer, asked of each provider
 * (OpenAI's and Anthropic's `data[].id`, Gemini's `models[].name`), named with the
 * provider's prefix so each id routes back to it. A provider without a key, or one that
 * does not answer within the timeout, is left out.
 */
import { request, type Dispatcher } from 'undici';
import type { Provider, ProviderRegistry } from './providers';
import { modelsRequest } from './upstream-request';
import { isObject, list, type Json } from '../wire/internal';

const LIST_TIMEOUT_MS = 3000;

function idsOf(body: unknown): string[] {
  if (!isObject(body)) return [];
  const openAi = list(body.data).map((m) => m.id);
  const gemini = list(body.models).map((m) => (typeof m.name === 'string' ? m.name.replace(/^models\//, '') : undefined));
  return [...openAi, ...gemini].filter((id): id is string => typeof id === 'string' && id !== '');
}

async function modelsOf(provider: Provider, dispatcher: Dispatcher, timeoutMs: number): Promise<Json[]> {
  const { origin, path, headers } = modelsRequest(provider);
  try {
    const res = await request(`${origin}${path}`, { dispatcher, headers, signal: AbortSignal.timeout(timeoutMs) });
    if (res.statusCode >= 400) {
      await res.body.dump();
      return [];
    }
    return idsOf(await res.body.json()).map((id) => ({ id: `${provider.name}/${id}`, object: 'model', created: 0, owned_by: provider.name }));
  } catch {
    return [];
  }
}

/** OpenAI's model list over every provider that has a key (or needs none). */
export async function listModels(providers: ProviderRegistry, dispatcher: Dispatcher, timeoutMs = LIST_TIMEOUT_MS): Promise<Json> {
  const usable = providers.list().filter((p) => p.apiKey !== null || p.keyVariable === null);
  const lists = await Promise.all(usable.map((p) => modelsOf(p, dispatcher, timeoutMs)));
  return { object: 'list', data: lists.flat() };
}
