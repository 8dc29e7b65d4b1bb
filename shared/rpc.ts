import { z } from 'zod';
import { ApiError } from './api-error';
import { isMethodName, methods, type Api, type EventName, type EventPayload, type MethodName } from './contract';

export { ApiError };

/** Validates a call against the contract; returns the parsed input or throws ApiError. */
export function parseCall(name: unknown, input: unknown): { method: MethodName; input: unknown } {
  if (!isMethodName(name)) throw new ApiError('unknown_method', `unknown method: ${String(name)}`);
  const result = methods[name].input.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'input';
    throw new ApiError('invalid_input', `${name}: ${where}: ${issue?.message ?? 'invalid input'}`);
  }
  return { method: name, input: result.data };
}

/** Runs a validated call on an engine; every transport's server side goes through here. */
export async function dispatch(api: Api, name: unknown, input: unknown): Promise<unknown> {
  const call = parseCall(name, input);
  const fn = api[call.method] as (i: unknown) => Promise<unknown>;
  return fn(call.input);
}

/** Serialises an error for a transport. */
export function toWire(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'failed', message: err instanceof Error ? err.message : String(err) };
}

export const WireErrorSchema = z.object({ code: z.string(), message: z.string() });

/** What a transport provides; the typed client is built on top of it. */
export interface Transport {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export type Client = Api & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Builds the typed client over any transport. Components call this, never `window.*`. */
export function createClient(transport: Transport): Client {
  const client = {
    on: (event: EventName, listener: (payload: never) => void) =>
      transport.subscribe(event, listener as (payload: unknown) => void),
  } as Record<string, unknown>;
  for (const name of Object.keys(methods)) {
    client[name] = (input: unknown) => transport.call(name, input ?? {});
  }
  return client as Client;
}
