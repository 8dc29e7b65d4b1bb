/**
 * A local model provider speaking the real wire formats, for proxy tests and benchmarks:
 * OpenAI chat completions (`POST /v1/chat/completions`, JSON or SSE chunks), OpenAI
 * embeddings (`POST /v1/embeddings`: 1,536 floats per input, or base64 when asked) and the
 * Anthropic Messages API (`POST /v1/messages`, JSON or its named SSE events).
 *
 * What it answers is chosen by the model name:
 *   `…error-<status>…` → that HTTP status with the provider's error body
 *   `…tool…`           → a tool call to the first tool in the request (`{"city":"Paris"}`)
 *   `…slow…`           → a long stream, one chunk every `slowChunkMs` (for cancellation)
 *   `…deep…`           → (not streamed) the answer carries a field nested 100,000 levels deep
 *   anything else      → the words of `reply` (default "Hello from the fake upstream"),
 *                         one per chunk when streaming
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Json;
}

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>/v1` — the base URL both wire formats share. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** How many streams the client abandoned before they finished. */
  readonly abandonedStreams: number;
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  reply?: string;
  slowChunkMs?: number;
  slowChunks?: number;
  /** Keep no request log (benchmarks). */
  quiet?: boolean;
}

const USAGE = { prompt: 11, completion: 7 };

function readJson(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json);
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How deep the `…deep…` models' answers nest (a field of 100,000 nested arrays). */
export const DEEP_LEVELS = 100_000;

interface Plan {
  error: number | null;
  deep: boolean;
  tool: { name: string; arguments: string } | null;
  words: string[];
  delayMs: number;
}

function planFor(body: Json, options: FakeUpstreamOptions): Plan {
  const model = String(body.model ?? '');
  const error = model.match(/error-(\d{3})/);
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const firstTool = tools[0] as { function?: { name?: string }; name?: string } | undefined;
  const toolName = firstTool?.function?.name ?? firstTool?.name ?? 'tool';
  const slow = model.includes('slow');
  const words = slow
    ? Array.from({ length: options.slowChunks ?? 200 }, (_, i) => `w${i} `)
    : (options.reply ?? 'Hello from the fake upstream').split(/(?<= )/);
  return {
    error: error ? Number(error[1]) : null,
    deep: model.includes('deep'),
    tool: model.includes('tool') ? { name: toolName, arguments: '{"city":"Paris"}' } : null,
    words,
    delayMs: slow ? (options.slowChunkMs ?? 20) : 0,
  };
}

/** Streams SSE frames with an optional pause, stopping if the client goes away. */
async function streamFrames(res: ServerResponse, frames: string[], delayMs: number, onAbandon: () => void) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let gone = false;
  res.on('close', () => {
    if (!res.writableFinished) {
      gone = true;
      onAbandon();
    }
  });
  for (const frame of frames) {
    if (gone) return;
    res.write(frame);
    if (delayMs) await sleep(delayMs);
  }
  res.end();
}

function openAi(body: Json, plan: Plan, res: ServerResponse, onAbandon: () => void) {
  if (plan.error) {
    return sendJson(res, plan.error, { error: { message: `fake openai error ${plan.error}`, type: 'rate_limit_error', param: null, code: 'fake_code' } });
  }
  const id = 'chatcmpl-fake';
  const model = String(body.model);
  const usage = { prompt_tokens: USAGE.prompt, completion_tokens: USAGE.completion, total_tokens: USAGE.prompt + USAGE.completion };
  const toolCalls = plan.tool ? [{ id: 'call_1', type: 'function', function: plan.tool }] : undefined;
  if (body.stream !== true) {
    const completion = {
      id, object: 'chat.completion', created: 1, model,
      choices: [{ index: 0, message: { role: 'assistant', content: plan.tool ? null : plan.words.join(''), tool_calls: toolCalls }, finish_reason: plan.tool ? 'tool_calls' : 'stop', logprobs: null }],
      usage,
    };
    if (!plan.deep) return sendJson(res, 200, completion);
    // Written by hand: JSON.stringify itself overflows the stack on such a value.
    const text = `${JSON.stringify(completion).slice(0, -1)},"deep":${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    return void res.end(text);
  }
  const chunk = (delta: Json, finish: string | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const frames = [chunk({ role: 'assistant', content: '' })];
  if (plan.tool) {
    frames.push(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: plan.tool.name, arguments: '' } }] }));
    frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: plan.tool.arguments } }] }));
  } else for (const word of plan.words) frames.push(chunk({ content: word }));
  frames.push(chunk({}, plan.tool ? 'tool_calls' : 'stop'));
  if ((body.stream_options as Json | undefined)?.include_usage) {
    frames.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [], usage })}\n\n`);
  }
  frames.push('data: [DONE]\n\n');
  return streamFrames(res, frames, plan.delayMs, onAbandon);
}

function anthropic(req: IncomingMessage, body: Json, plan: Plan, res: ServerResponse, onAbandon: () => void) {
  if (!req.headers['x-api-key'] || req.headers['anthropic-version'] !== '2023-06-01') {
    return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'x-api-key and anthropic-version are required' } });
  }
  if (typeof body.max_tokens !== 'number') {
    return sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  }
  if (plan.error) {
    return sendJson(res, plan.error, { type: 'error', error: { type: 'overloaded_error', message: `fake anthropic error ${plan.error}` } });
  }
  const id = 'msg_fake';
  const model = String(body.model);
  const toolBlock = plan.tool ? { type: 'tool_use', id: 'toolu_1', name: plan.tool.name, input: JSON.parse(plan.tool.arguments) } : null;
  const stopReason = plan.tool ? 'tool_use' : 'end_turn';
  if (body.stream !== true) {
    return sendJson(res, 200, {
      id, type: 'message', role: 'assistant', model,
      content: toolBlock ? [toolBlock] : [{ type: 'text', text: plan.words.join('') }],
      stop_reason: stopReason, stop_sequence: null,
      usage: { input_tokens: USAGE.prompt, output_tokens: USAGE.completion },
    });
  }
  const event = (type: string, data: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const frames = [
    event('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, usage: { input_tokens: USAGE.prompt, output_tokens: 1 } } }),
    event('ping', {}),
  ];
  if (toolBlock) {
    frames.push(event('content_block_start', { index: 0, content_block: { ...toolBlock, input: {} } }));
    frames.push(event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: plan.tool!.arguments.slice(0, 5) } }));
    frames.push(event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: plan.tool!.arguments.slice(5) } }));
  } else {
    frames.push(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    for (const word of plan.words) frames.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } }));
  }
  frames.push(event('content_block_stop', { index: 0 }));
  frames.push(event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: USAGE.completion } }));
  frames.push(event('message_stop', {}));
  return streamFrames(res, frames, plan.delayMs, onAbandon);
}

/** One embedding as text-embedding-3-small gives it: 1,536 floats (the same for every input). */
const VECTOR = Array.from({ length: 1536 }, (_, i) => Math.fround(Math.sin(i) / 40));
const VECTOR_BASE64 = Buffer.from(new Float32Array(VECTOR).buffer).toString('base64');

function embeddings(body: Json, res: ServerResponse) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const embedding = body.encoding_format === 'base64' ? VECTOR_BASE64 : VECTOR;
  sendJson(res, 200, { object: 'list', data: inputs.map((_, index) => ({ object: 'embedding', index, embedding })), model: body.model, usage: { prompt_tokens: 5 * inputs.length, total_tokens: 5 * inputs.length } });
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const requests: ReceivedRequest[] = [];
  let abandoned = 0;
  const onAbandon = () => abandoned++;
  const server = createServer(async (req, res) => {
    try {
      const body = await readJson(req);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (!options.quiet) requests.push({ path, headers: req.headers, body });
      const plan = planFor(body, options);
      if (req.method === 'POST' && path === '/v1/chat/completions') return await openAi(body, plan, res, onAbandon);
      if (req.method === 'POST' && path === '/v1/messages') return await anthropic(req, body, plan, res, onAbandon);
      if (req.method === 'POST' && path === '/v1/embeddings') return embeddings(body, res);
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found' } });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 400, { error: { message: String(error), type: 'invalid_request_error' } });
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get abandonedStreams() {
      return abandoned;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
