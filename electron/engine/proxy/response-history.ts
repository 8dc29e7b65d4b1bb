/**
 * `previous_response_id` for a provider that does not speak Responses: the relay keeps
 * what each translated Responses call was asked and answered, and expands a later call's
 * `previous_response_id` into the whole conversation so far (the earlier inputs and
 * outputs, then the new input), as OpenAI's own store would. Recent responses are held in
 * memory (bounded); older ones are read from the recorded calls in the store. An id found
 * in neither is refused with a clear error, never silently dropped.
 */
import { isObject, type Json } from '../wire/internal';

/** What a Responses call was asked (the client's body) and what it answered (output items). */
interface Turn {
  request: Json;
  output: Json[];
}

/** Reads a recorded Responses call back (the store's recorded request and response). */
export type RecordedResponse = (responseId: string) => { request: unknown; response: unknown } | null;

const MAX_TURNS = 2000;
const MAX_BYTES = 32 * 1024 * 1024;
/** A chain longer than this is refused (a cycle in hostile records, or a runaway client). */
const MAX_DEPTH = 500;

const inputItems = (input: unknown): Json[] => (typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : Array.isArray(input) ? input.filter(isObject) : []);

export class UnknownResponseError extends Error {}

export function createResponseHistory(recorded: RecordedResponse | null) {
  const turns = new Map<string, { turn: Turn; bytes: number }>();
  let bytes = 0;

  function find(id: string): Turn | null {
    const held = turns.get(id);
    if (held) return held.turn;
    const stored = recorded?.(id);
    if (!stored || !isObject(stored.request) || !isObject(stored.response)) return null;
    return { request: stored.request, output: Array.isArray(stored.response.output) ? stored.response.output.filter(isObject) : [] };
  }

  /** The input items of every turn up to and including `id`'s answer. */
  function conversation(id: string): Json[] {
    const chain: Turn[] = [];
    for (let at: unknown = id; typeof at === 'string'; ) {
      if (chain.length >= MAX_DEPTH) throw new UnknownResponseError(`previous_response_id ${id} reaches back more than ${MAX_DEPTH} responses`);
      const turn = find(at);
      if (!turn) {
        throw new UnknownResponseError(
          at === id
            ? `previous_response_id ${id} is not a response this Jetty answered (or its record was deleted): send the conversation's input instead`
            : `previous_response_id ${id} continues response ${at}, which this Jetty no longer has: send the conversation's input instead`,
        );
      }
      chain.push(turn);
      at = turn.request.previous_response_id;
    }
    return chain.reverse().flatMap((turn) => [...inputItems(turn.request.input), ...turn.output]);
  }

  return {
    /** The body with `previous_response_id` replaced by the conversation it names (as it is when it names none); throws UnknownResponseError. */
    expand(body: Json): Json {
      const previous = body.previous_response_id;
      if (typeof previous !== 'string' || previous === '') return body;
      const { previous_response_id: _previous, ...rest } = body;
      return { ...rest, input: [...conversation(previous), ...inputItems(body.input)] };
    },
    /** Keeps a translated call's turn (its response id, the client's body, the output items it got). */
    remember(responseId: string, request: Json, output: Json[]): void {
      if (!responseId) return;
      const size = JSON.stringify(request).length + JSON.stringify(output).length;
      turns.set(responseId, { turn: { request, output }, bytes: size });
      bytes += size;
      for (const [id, held] of turns) {
        if (turns.size <= MAX_TURNS && bytes <= MAX_BYTES) break;
        turns.delete(id);
        bytes -= held.bytes;
      }
    },
  };
}
export type ResponseHistory = ReturnType<typeof createResponseHistory>;
