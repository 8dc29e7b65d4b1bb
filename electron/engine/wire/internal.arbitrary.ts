/**
 * fast-check arbitraries of the internal shape, for the converters' property tests.
 * `Support` says what a wire API can carry, so each API is tested on its own subset.
 */
import fc from 'fast-check';
import type { ContentPart, FinishReason, InternalRequest, InternalResponse, Message, ResponseFormat, Tool, ToolCall, Usage } from './internal';

export interface Support {
  stop: boolean;
  responseFormat: 'full' | 'unnamed' | 'none';
  reasoningEffort: boolean;
  user: boolean;
  /** 'any': true or false; 'disable': only false, only with a tool choice other than none. */
  parallelToolCalls: 'any' | 'disable' | 'none';
  maxTokensRequired: boolean;
  cacheWriteTokens: boolean;
  reasoningTokens: boolean;
  /** The API always reports usage (Anthropic's message carries it). */
  usageRequired: boolean;
}

export const SUPPORT = {
  'chat-completions': { stop: true, responseFormat: 'full', reasoningEffort: true, user: true, parallelToolCalls: 'any', maxTokensRequired: false, cacheWriteTokens: false, reasoningTokens: true, usageRequired: false },
  responses: { stop: false, responseFormat: 'full', reasoningEffort: true, user: true, parallelToolCalls: 'any', maxTokensRequired: false, cacheWriteTokens: false, reasoningTokens: true, usageRequired: false },
  'anthropic-messages': { stop: true, responseFormat: 'none', reasoningEffort: false, user: true, parallelToolCalls: 'disable', maxTokensRequired: true, cacheWriteTokens: true, reasoningTokens: false, usageRequired: true },
  gemini: { stop: true, responseFormat: 'unnamed', reasoningEffort: false, user: false, parallelToolCalls: 'none', maxTokensRequired: false, cacheWriteTokens: false, reasoningTokens: true, usageRequired: false },
} satisfies Record<string, Support>;

/** What every API carries: the intersection, for translations between any two. */
export const COMMON: Support = { stop: false, responseFormat: 'none', reasoningEffort: false, user: false, parallelToolCalls: 'none', maxTokensRequired: true, cacheWriteTokens: false, reasoningTokens: false, usageRequired: true };

const text = fc.string({ maxLength: 30 });
/** Text with multi-byte characters, so byte-split streams cut inside UTF-8 sequences. */
const richText = fc.oneof(text, fc.constantFrom('héllo wörld', '日本語のテキスト', 'emoji 🚀🧪 end', 'a\nb\n\nc'));
const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,15}$/);
const schema = fc.dictionary(name, fc.constantFrom({ type: 'string' }, { type: 'integer' }, { type: 'array', items: { type: 'string' } }), { maxKeys: 3 }).map((properties) => ({ type: 'object', properties }));
/** Arguments as JSON text of an object (what Anthropic and Gemini can carry as objects). */
const toolArguments = fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).map((args) => JSON.stringify(args));
const image: fc.Arbitrary<ContentPart> = fc.oneof(
  fc.record({ mediaType: fc.constantFrom('image/png', 'image/jpeg'), data: fc.base64String({ minLength: 4, maxLength: 24 }) }).map(({ mediaType, data }) => ({ type: 'image' as const, source: { kind: 'base64' as const, mediaType, data } })),
  fc.constantFrom('https://example.com/cat.png', 'https://example.com/pics/dog.jpg').map((url) => ({ type: 'image' as const, source: { kind: 'url' as const, url } })),
);
const userContent = fc.array(fc.oneof({ weight: 3, arbitrary: richText.map((t) => ({ type: 'text' as const, text: t })) }, { weight: 1, arbitrary: image }), { minLength: 1, maxLength: 3 });

const calls = (turn: number): fc.Arbitrary<ToolCall[]> =>
  fc.array(fc.record({ name, arguments: toolArguments }), { minLength: 1, maxLength: 3 }).map((list) => list.map((c, i) => ({ id: `call_${turn}x${i}`, ...c })));

/** One turn: a user message, then an assistant message (text, or tool calls and their results). */
const turn = (index: number, last: boolean): fc.Arbitrary<Message[]> => {
  const user = userContent.map((content): Message => ({ role: 'user', content }));
  const textReply = richText.filter((t) => t !== '').map((t): Message[] => [{ role: 'assistant', text: t, toolCalls: [] }]);
  const toolReply = fc.tuple(text, calls(index), fc.array(richText, { minLength: 3, maxLength: 3 })).map(([t, toolCalls, results]): Message[] => [
    { role: 'assistant', text: t, toolCalls },
    ...toolCalls.map((c, i): Message => ({ role: 'tool', toolCallId: c.id, name: c.name, content: results[i] })),
  ]);
  const reply = last ? fc.oneof(textReply, toolReply, fc.constant<Message[]>([])) : fc.oneof(textReply, toolReply);
  return fc.tuple(user, reply).map(([u, r]) => [u, ...r]);
};

const conversation = fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => turn(i, i === n - 1))).map((turns) => turns.flat()));

const tenths = (max: number) => fc.integer({ min: 0, max: max * 10 }).map((n) => n / 10);
const optional = <T>(arb: fc.Arbitrary<T>, when = true) => (when ? fc.option(arb, { nil: undefined }) : fc.constant(undefined));

function responseFormat(support: Support): fc.Arbitrary<ResponseFormat | undefined> {
  if (support.responseFormat === 'none') return fc.constant(undefined);
  const named = support.responseFormat === 'full';
  const jsonSchema = fc
    .record({ name: named ? name : fc.constant(undefined), schema, strict: named ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined) })
    .map(({ name: n, schema: s, strict }): ResponseFormat => Object.fromEntries(Object.entries({ type: 'json_schema', name: n, schema: s, strict }).filter(([, v]) => v !== undefined)) as ResponseFormat);
  return optional(fc.oneof(fc.constant<ResponseFormat>({ type: 'text' }), fc.constant<ResponseFormat>({ type: 'json_object' }), jsonSchema));
}

/** Drops undefined fields, as decoders leave absent fields out. */
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function requestArbitrary(support: Support): fc.Arbitrary<InternalRequest> {
  const tools: fc.Arbitrary<Tool[] | undefined> = optional(
    fc.uniqueArray(fc.record({ name, description: optional(text), parameters: schema }).map(compact), { minLength: 1, maxLength: 3, selector: (t) => t.name }),
  );
  return fc
    .record({
      model: fc.constantFrom('gpt-5.4', 'claude-sonnet-4-6', 'gemini-3.1-pro-preview', 'local/qwen3'),
      system: optional(richText),
      messages: conversation,
      tools,
      choice: fc.constantFrom('auto', 'none', 'required', 'named', undefined),
      parallel: fc.boolean(),
      maxTokens: support.maxTokensRequired ? fc.integer({ min: 1, max: 64000 }) : optional(fc.integer({ min: 1, max: 64000 })),
      temperature: optional(tenths(2)),
      topP: optional(tenths(1)),
      stop: optional(fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }), support.stop),
      responseFormat: responseFormat(support),
      reasoningEffort: optional(fc.constantFrom('minimal', 'low', 'medium', 'high') as fc.Arbitrary<InternalRequest['reasoningEffort']>, support.reasoningEffort),
      user: optional(name, support.user),
      stream: fc.boolean(),
    })
    .map(({ tools: toolList, choice, parallel, ...rest }) => {
      const toolChoice = toolList && choice ? (choice === 'named' ? { name: toolList[0].name } : choice) : undefined;
      const parallelToolCalls =
        support.parallelToolCalls === 'any' ? parallel : support.parallelToolCalls === 'disable' && toolChoice && toolChoice !== 'none' && !parallel ? false : undefined;
      return compact({ ...rest, tools: toolList, toolChoice, parallelToolCalls } as InternalRequest);
    });
}

function usageArbitrary(support: Support): fc.Arbitrary<Usage> {
  return fc
    .record({ input: fc.nat(100000), output: fc.nat(20000), cached: fc.nat(100000), write: fc.nat(100000), reasoning: fc.nat(20000) })
    .map(({ input, output, cached, write, reasoning }) => {
      const cacheWriteTokens = support.cacheWriteTokens ? Math.min(write, input) : 0;
      return {
        inputTokens: input,
        outputTokens: output,
        cachedInputTokens: Math.min(cached, input - cacheWriteTokens),
        cacheWriteTokens,
        reasoningTokens: support.reasoningTokens ? Math.min(reasoning, output) : 0,
      };
    });
}

export function responseArbitrary(support: Support): fc.Arbitrary<InternalResponse> {
  return fc
    .record({
      id: fc.stringMatching(/^(resp|msg|chatcmpl)_[a-zA-Z0-9]{6,12}$/),
      model: fc.constantFrom('gpt-5.4', 'claude-sonnet-4-6', 'gemini-3.1-pro-preview'),
      text: richText,
      reasoning: optional(richText.filter((t) => t !== '')),
      toolCalls: fc.oneof(fc.constant<ToolCall[]>([]), calls(9)),
      finish: fc.constantFrom<FinishReason>('stop', 'length', 'content_filter'),
      usage: support.usageRequired ? usageArbitrary(support) : optional(usageArbitrary(support)),
    })
    .map(({ finish, toolCalls, ...rest }) => {
      // A finish reason the API can tell apart from the content: tool calls finish as tool_calls (or length).
      const finishReason: FinishReason = toolCalls.length ? (finish === 'length' ? 'length' : 'tool_calls') : finish;
      return compact({ ...rest, toolCalls, finishReason });
    });
}

/** Splits text into random pieces (each non-empty), so streams deliver it in random deltas. */
export const piecesArbitrary = fc.infiniteStream(fc.integer({ min: 1, max: 7 })).map((sizes) => {
  const iterator = sizes[Symbol.iterator]();
  return (t: string): string[] => {
    const chars = Array.from(t);
    const out: string[] = [];
    for (let i = 0; i < chars.length; ) {
      const n = iterator.next().value as number;
      out.push(chars.slice(i, i + n).join(''));
      i += n;
    }
    return out;
  };
});

/** Cuts bytes at random offsets (anywhere, inside UTF-8 sequences and SSE lines too). */
export function splitBytes(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const at of [...offsets, bytes.length]) {
    out.push(bytes.subarray(start, at));
    start = at;
  }
  return out;
}
