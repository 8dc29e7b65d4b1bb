import { SseParser } from '../wire/sse';
import { CLOUD_LIMITS } from './limits';
import { RemoteError } from './remote-error';

/**
 * The JSON payloads of a remote's server-sent event stream, each as its frame completes.
 * The stream is decoded as one text (a character split across network chunks stays whole);
 * `[DONE]` ends nothing and is passed over. A frame that is not a JSON object, or one that
 * grows past `maxFrameBytes` without ending, is an error naming what came (never skipped).
 */
export async function* sseJson(body: AsyncIterable<Uint8Array | string>, maxFrameBytes: number = CLOUD_LIMITS.sseFrameBytes): AsyncGenerator<Record<string, unknown>> {
  const parser = new SseParser();
  const frames: string[] = [];
  const collect = (data: string) => frames.push(data);
  let pending = 0;
  const drain = function* (): Generator<Record<string, unknown>> {
    for (const data of frames.splice(0)) {
      if (data === '[DONE]') continue;
      let value: unknown;
      try {
        value = JSON.parse(data);
      } catch {
        value = undefined;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new RemoteError('server', `the remote's event stream sent a frame that is not a JSON object: ${JSON.stringify(data.slice(0, 120))}${data.length > 120 ? '…' : ''}`);
      }
      yield value as Record<string, unknown>;
    }
  };
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    parser.feed(chunk, collect);
    if (frames.length > 0) pending = 0;
    else if (pending > maxFrameBytes) throw new RemoteError('server', `the remote's event stream sent more than ${maxFrameBytes} bytes without ending an event`);
    yield* drain();
  }
  parser.finish(collect);
  yield* drain();
}
