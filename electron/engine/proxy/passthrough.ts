import type { ServerResponse } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { AnthropicStreamTranslator, fromAnthropicMessage } from './anthropic-response';
import type { CapturedCall } from './call-summary';
import { normaliseUpstreamError, openAiError } from './openai-error';
import { ProviderError, type ProviderRegistry, type ResolvedModel } from './providers';
import { buildUpstreamRequest } from './upstream-request';

type Json = Record<string, unknown>;

export const TRAJECTORY_ID_HEADER = 'X-Jetty-Trajectory-Id';

export interface PassthroughOptions {
  providers: ProviderRegistry;
  /** Takes each finished call; must return at once (storing happens elsewhere). */
  recorder: { record(call: CapturedCall): void };
  /** A fresh trajectory id per call. */
  newId: () => string;
  /** Keep-alive connection pool to the providers; one is made when omitted. */
  dispatcher?: Dispatcher;
}

export interface Passthrough {
  /** Relays one call; `raw` is the request body as it arrived (what the recording keeps). */
  handle(res: ServerResponse, body: Json, raw: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

function writeJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string>): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...extra, 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
  return bytes;
}

const joined = (chunks: Buffer[]): Buffer => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));

const CLIENT_GONE = 'the client disconnected';

/**
 * One call to the provider, driven by undici's handler callbacks (no response stream
 * objects on the hot path). A successful stream is relayed chunk by chunk as it arrives
 * (OpenAI-compatible bytes untouched, Anthropic events translated), pausing the upstream
 * while the client is slow; anything else is answered whole. When the client goes away
 * the upstream request is aborted. Never rejects: every failure is answered (or the
 * connection dropped) and noted on `call`.
 */
function relay(dispatcher: Dispatcher, call: CapturedCall, resolved: ResolvedModel, body: Json, res: ServerResponse): Promise<void> {
  const { provider, model } = resolved;
  const idHeader = { [TRAJECTORY_ID_HEADER]: call.id };
  const upstream = buildUpstreamRequest(resolved, body);
  return new Promise((resolve) => {
    let controller: Dispatcher.DispatchController | null = null;
    let answered = false;
    let contentType: string | undefined;
    let translator: AnthropicStreamTranslator | null = null;
    let streaming = false;
    const received: Buffer[] = [];

    const onClose = () => {
      if (res.writableFinished) return;
      call.cancelled = true;
      controller?.abort(new Error(CLIENT_GONE));
    };
    const onDrain = () => controller?.resume();
    const finish = () => {
      res.off('close', onClose);
      res.off('drain', onDrain);
      resolve();
    };
    const fail = (error: Error) => {
      if (call.cancelled) return finish();
      if (res.headersSent) {
        res.destroy();
        return finish();
      }
      call.status = 502;
      const coded = error as Error & { code?: string; cause?: { code?: string } };
      const reason = coded.cause?.code ?? coded.code ?? error.message;
      const body = answered
        ? openAiError(`provider ${provider.name} failed mid-response: ${error.message}`, 'upstream_error')
        : openAiError(`cannot reach provider ${provider.name} at ${provider.baseUrl} (${reason})`, 'upstream_unreachable');
      call.chunks.push(writeJson(res, 502, body, idHeader));
      finish();
    };

    /** The whole answer, once the upstream is done: an error, a JSON body, or a stream's end. */
    const complete = () => {
      if (call.status >= 400) {
        const error = normaliseUpstreamError(joined(received).toString('utf8'), call.status, provider.wire, provider.name);
        call.chunks.push(writeJson(res, call.status, error, idHeader));
      } else if (!streaming && provider.wire === 'anthropic') {
        const message = JSON.parse(joined(received).toString('utf8')) as Json;
        call.chunks.push(writeJson(res, call.status, fromAnthropicMessage(message, model), idHeader));
      } else if (!streaming) {
        // A whole JSON body: one write (headers and body together) instead of one per chunk.
        const bytes = joined(received);
        res.writeHead(call.status, { ...idHeader, 'content-type': contentType ?? 'application/json', 'content-length': bytes.length });
        res.end(bytes);
        call.chunks.push(bytes);
      } else if (translator) {
        const tail = Buffer.from(translator.end());
        call.chunks.push(tail);
        res.end(tail);
      } else res.end();
    };

    res.on('close', onClose);
    res.on('drain', onDrain);
    dispatcher.dispatch(
      { origin: upstream.origin, path: upstream.path, method: 'POST', headers: upstream.headers, body: upstream.body },
      {
        onRequestStart(c) {
          controller = c;
          if (call.cancelled) c.abort(new Error(CLIENT_GONE));
        },
        onResponseStart(_c, status, headers) {
          answered = true;
          call.status = status;
          contentType = headers['content-type'] as string | undefined;
          if (status >= 400 || !call.stream) return;
          streaming = true;
          if (provider.wire === 'anthropic') {
            translator = new AnthropicStreamTranslator(model, (body.stream_options as Json | undefined)?.include_usage === true);
          }
          res.writeHead(status, { ...idHeader, 'content-type': translator ? 'text/event-stream' : (contentType ?? 'text/event-stream'), 'cache-control': 'no-cache' });
        },
        onResponseData(c, chunk) {
          if (!streaming) return void received.push(chunk);
          let out: Buffer = chunk;
          try {
            if (translator) out = Buffer.from(translator.push(chunk));
          } catch (error) {
            return c.abort(error as Error);
          }
          if (out.length === 0) return;
          call.firstByteAt ??= Date.now();
          call.chunks.push(out);
          if (!res.write(out)) c.pause();
        },
        onResponseEnd() {
          try {
            complete();
          } catch (error) {
            return fail(error as Error);
          }
          finish();
        },
        onResponseError(_c, error) {
          fail(error);
        },
      },
    );
  });
}

/**
 * The passthrough proxy: relays an OpenAI-shaped request to the provider its model names
 * (see `relay`), and hands what it saw to the recorder once the response is complete.
 */
export function createPassthrough(options: PassthroughOptions): Passthrough {
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const ownsDispatcher = !options.dispatcher;

  return {
    async handle(res, body, raw) {
      let resolved: ResolvedModel;
      try {
        resolved = options.providers.resolve(body.model);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        writeJson(res, error.status, openAiError(error.message, 'invalid_request_error', error.code), {});
        return;
      }
      const call: CapturedCall = {
        id: options.newId(),
        provider: resolved.provider.name,
        model: typeof body.model === 'string' ? body.model : '',
        stream: body.stream === true,
        request: raw,
        status: 0,
        chunks: [],
        cancelled: false,
        startedAt: Date.now(),
        firstByteAt: null,
        endedAt: 0,
      };
      try {
        await relay(dispatcher, call, resolved, body, res);
      } finally {
        call.endedAt = Date.now();
        options.recorder.record(call);
      }
    },
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
