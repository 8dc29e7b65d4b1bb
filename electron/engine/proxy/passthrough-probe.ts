import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { AnthropicStreamTranslator, fromAnthropicMessage } from './anthropic-response';
import type { CallRecorder } from './call-recorder';
import type { CapturedCall } from './call-summary';
import { normaliseUpstreamError, openAiError } from './openai-error';
import { ProviderError, type ProviderRegistry, type ResolvedModel } from './providers';
import { buildUpstreamRequest } from './upstream-request';

type Json = Record<string, unknown>;

export const TRAJECTORY_ID_HEADER = 'X-Jetty-Trajectory-Id';

export interface PassthroughOptions {
  providers: ProviderRegistry;
  recorder: CallRecorder;
  /** A fresh trajectory id per call. */
  newId: () => string;
  /** Keep-alive connection pool to the providers; one is made when omitted. */
  dispatcher?: Dispatcher;
}

export interface Passthrough {
  handle(res: ServerResponse, body: Json): Promise<void>;
  close(): Promise<void>;
}

function writeJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string>): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...extra, 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
  return bytes;
}

/**
 * Writes each upstream chunk (as `map` turns it) to the client as it arrives, pausing the
 * upstream while the client is slow; resolves at the upstream's end.
 */
function relayChunks(source: Readable, res: ServerResponse, map: (chunk: Buffer) => Buffer | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const resume = () => source.resume();
    const done = (error?: Error) => {
      res.off('drain', resume);
      if (error) reject(error);
      else resolve();
    };
    res.on('drain', resume);
    source.on('data', (chunk: Buffer) => {
      const out = map(chunk);
      if (out && !res.write(out)) source.pause();
    });
    source.once('end', () => done());
    source.once('error', done);
  });
}

/**
 * The passthrough proxy: relays an OpenAI-shaped request to the provider its model names,
 * streaming bytes back as they arrive (OpenAI-compatible providers are piped untouched;
 * Anthropic is translated event by event), cancels the upstream call when the client goes
 * away, and hands what it saw to the recorder once the response is complete.
 */
export function createPassthrough(options: PassthroughOptions): Passthrough {
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const ownsDispatcher = !options.dispatcher;

  async function relay(call: CapturedCall, resolved: ResolvedModel, body: Json, res: ServerResponse, signal: AbortSignal) {
    const headers = { [TRAJECTORY_ID_HEADER]: call.id };
    const upstream = buildUpstreamRequest(resolved, body);
    let reply: Dispatcher.ResponseData;
    (globalThis as any).__mark?.('built');
    try {
      const p = request(upstream.url, { method: 'POST', headers: upstream.headers, body: upstream.body, dispatcher, signal });
      (globalThis as any).__mark?.('requested');
      reply = await p;
      (globalThis as any).__mark?.('headers');
    } catch (error) {
      if (signal.aborted) return;
      const failure = error as Error & { code?: string; cause?: { code?: string } };
      const reason = failure.cause?.code ?? failure.code ?? failure.message;
      call.status = 502;
      call.chunks.push(
        writeJson(res, 502, openAiError(`cannot reach provider ${resolved.provider.name} at ${resolved.provider.baseUrl} (${reason})`, 'upstream_unreachable'), headers),
      );
      return;
    }
    call.status = reply.statusCode;
    const wire = resolved.provider.wire;
    if (reply.statusCode >= 400) {
      const error = normaliseUpstreamError(await reply.body.text(), reply.statusCode, wire, resolved.provider.name);
      call.chunks.push(writeJson(res, reply.statusCode, error, headers));
      return;
    }
    if (!call.stream) {
      // A whole JSON body: one write (headers and body together) instead of one per chunk.
      if (wire === 'anthropic') {
        const message = (await reply.body.json()) as Json;
        call.chunks.push(writeJson(res, reply.statusCode, fromAnthropicMessage(message, resolved.model), headers));
        return;
      }
      const bytes = Buffer.from(await reply.body.arrayBuffer());
      (globalThis as any).__mark?.('body');
      res.writeHead(reply.statusCode, { ...headers, 'content-type': String(reply.headers['content-type'] ?? 'application/json'), 'content-length': bytes.length });
      res.end(bytes);
      (globalThis as any).__mark?.('ended');
      call.chunks.push(bytes);
      return;
    }
    const contentType = wire === 'anthropic' ? 'text/event-stream' : String(reply.headers['content-type'] ?? 'text/event-stream');
    res.writeHead(reply.statusCode, { ...headers, 'content-type': contentType, 'cache-control': 'no-cache' });
    const translator =
      wire === 'anthropic' ? new AnthropicStreamTranslator(resolved.model, (body.stream_options as Json | undefined)?.include_usage === true) : null;
    await relayChunks(reply.body, res, (chunk) => {
      const out = translator ? Buffer.from(translator.push(chunk)) : chunk;
      if (out.length === 0) return null;
      call.firstByteAt ??= Date.now();
      call.chunks.push(out);
      return out;
    });
    if (translator) {
      const tail = Buffer.from(translator.end());
      call.chunks.push(tail);
      res.end(tail);
    } else res.end();
  }

  return {
    async handle(res, body) {
      (globalThis as any).__mark?.('handle');
      const call: CapturedCall = {
        id: options.newId(),
        provider: 'unknown',
        model: typeof body.model === 'string' ? body.model : '',
        stream: body.stream === true,
        request: body,
        status: 0,
        chunks: [],
        cancelled: false,
        startedAt: Date.now(),
        firstByteAt: null,
        endedAt: 0,
      };
      let resolved: ResolvedModel;
      try {
        resolved = options.providers.resolve(body.model);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        writeJson(res, error.status, openAiError(error.message, 'invalid_request_error', error.code), {});
        return;
      }
      call.provider = resolved.provider.name;
      const abort = new AbortController();
      const onClose = () => {
        if (!res.writableFinished) abort.abort();
      };
      // `res` closes when the response ends or the connection drops, whichever comes first.
      res.on('close', onClose);
      try {
        await relay(call, resolved, body, res, abort.signal);
      } catch (error) {
        if (!abort.signal.aborted) {
          if (!res.headersSent) {
            call.status = 502;
            const message = `provider ${resolved.provider.name} failed mid-response: ${(error as Error).message}`;
            call.chunks.push(writeJson(res, 502, openAiError(message, 'upstream_error'), {}));
          } else res.destroy();
        }
      } finally {
        res.off('close', onClose);
        call.cancelled = abort.signal.aborted;
        call.endedAt = Date.now();
        options.recorder.record(call);
      }
    },
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
