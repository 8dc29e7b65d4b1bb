import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { AnthropicStreamTranslator, fromAnthropicMessage } from './anthropic-response';
import type { CapturedCall } from './call-summary';
import { normaliseUpstreamError, openAiError } from './openai-error';
import { ProviderError, type ProviderRegistry, type ResolvedModel } from './providers';
import { buildUpstreamRequest, type UpstreamRequest } from './upstream-request';

type Json = Record<string, unknown>;

export const TRAJECTORY_ID_HEADER = 'X-Jetty-Trajectory-Id';

export interface PassthroughOptions {
  providers: ProviderRegistry;
  recorder: CallJournal;
  /** A fresh trajectory id per call. */
  newId: () => string;
  /** Keep-alive connection pool to the providers; one is made when omitted. */
  dispatcher?: Dispatcher;
}

/** Where the proxy puts each finished call (`record-writer.ts`), synchronously, before its last byte is sent. */
export interface CallJournal {
  /** Makes the call durable; throws when it cannot (the call is then counted as unrecorded). */
  record(call: CapturedCall): void;
  /** Why new calls cannot be recorded now (a full disk), or null. */
  refusal?(): string | null;
}

export interface Passthrough {
  /** Relays one call; `raw` is the request body as it arrived (what the recording keeps); `headers` the client's (see FORWARDED_REQUEST_HEADERS). */
  handle(res: ServerResponse, body: Json, raw: Uint8Array, headers?: IncomingHttpHeaders): Promise<void>;
  close(): Promise<void>;
}

type Head = Record<string, string | number>;

const jsonHead = (bytes: Uint8Array, extra: Head): Head => ({ ...extra, 'content-type': 'application/json', 'content-length': bytes.length });

function writeJson(res: ServerResponse, status: number, value: unknown, extra: Head): void {
  const bytes = Buffer.from(JSON.stringify(value));
  res.writeHead(status, jsonHead(bytes, extra));
  res.end(bytes);
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
function relay(dispatcher: Dispatcher, recorder: CallJournal, call: CapturedCall, resolved: ResolvedModel, body: Json, res: ServerResponse, clientHeaders?: IncomingHttpHeaders): Promise<void> {
  const { provider, model } = resolved;
  const idHeader = { [TRAJECTORY_ID_HEADER]: call.id };
  return new Promise((resolve) => {
    let controller: Dispatcher.DispatchController | null = null;
    let answered = false;
    let contentType: string | undefined;
    /** A refusal's `retry-after` (a 429's, a 503's), passed on so the client waits as the provider asked. */
    let retryAfter: Head = {};
    let translator: AnthropicStreamTranslator | null = null;
    let streaming = false;
    const received: Buffer[] = [];
    let journaled = false;
    let unrecordedReason = '';

    const onClose = () => {
      if (res.writableFinished) return;
      call.cancelled = true;
      controller?.abort(new Error(CLIENT_GONE));
    };
    const onDrain = () => controller?.resume();
    /** Journals the call (once); false if it could not be (the journal has counted why). */
    const journal = (): boolean => {
      if (journaled) return true;
      journaled = true;
      call.endedAt = Date.now();
      try {
        recorder.record(call);
        return true;
      } catch (error) {
        unrecordedReason = (error as Error).message;
        return false;
      }
    };
    /**
     * The last bytes of the answer, sent only once the call is in the journal: a client never
     * sees a call answered that a crash could lose. One that cannot be journaled is answered
     * 507 instead, or, mid-stream, its connection dropped.
     */
    const endWith = (status: number, bytes: Uint8Array | null, head: Head | null) => {
      if (bytes) call.chunks.push(bytes);
      if (!journal()) {
        if (res.headersSent) return void res.destroy();
        return writeJson(res, 507, openAiError(`the call was not recorded: ${unrecordedReason}`, 'insufficient_storage'), idHeader);
      }
      if (head) res.writeHead(status, head);
      if (bytes) res.end(bytes);
      else res.end();
    };
    const endWithJson = (status: number, value: unknown, extra: Head = {}) => {
      const bytes = Buffer.from(JSON.stringify(value));
      endWith(status, bytes, jsonHead(bytes, { ...idHeader, ...extra }));
    };
    const finish = () => {
      res.off('close', onClose);
      res.off('drain', onDrain);
      journal();
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
      endWithJson(502, body);
      finish();
    };

    /** The whole answer, once the upstream is done: an error, a JSON body, or a stream's end. */
    const complete = () => {
      if (call.status >= 400) {
        endWithJson(call.status, normaliseUpstreamError(joined(received).toString('utf8'), call.status, provider.wire, provider.name), retryAfter);
      } else if (!streaming && provider.wire === 'anthropic') {
        endWithJson(call.status, fromAnthropicMessage(JSON.parse(joined(received).toString('utf8')) as Json, model));
      } else if (!streaming) {
        // A whole JSON body: one write (headers and body together) instead of one per chunk.
        const bytes = joined(received);
        endWith(call.status, bytes, { ...idHeader, 'content-type': contentType ?? 'application/json', 'content-length': bytes.length });
      } else endWith(call.status, translator ? Buffer.from(translator.end()) : null, null);
    };

    let upstream: UpstreamRequest;
    try {
      upstream = buildUpstreamRequest(resolved, body, clientHeaders);
    } catch (error) {
      // E.g. a body nested too deeply to serialise again: refused, and recorded as such.
      call.status = 400;
      endWithJson(400, openAiError(`the request cannot be forwarded: ${(error as Error).message}`, 'invalid_request_error'));
      return finish();
    }
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
          if (typeof headers['retry-after'] === 'string') retryAfter = { 'retry-after': headers['retry-after'] };
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
 * (see `relay`), journaling what it saw before the response's last byte. While the
 * journal cannot take calls (a full disk) new calls are refused with 507.
 */
export function createPassthrough(options: PassthroughOptions): Passthrough {
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const ownsDispatcher = !options.dispatcher;

  return {
    async handle(res, body, raw, headers) {
      const refusal = options.recorder.refusal?.() ?? null;
      if (refusal) return writeJson(res, 507, openAiError(refusal, 'insufficient_storage'), {});
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
      await relay(dispatcher, options.recorder, call, resolved, body, res, headers);
    },
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
