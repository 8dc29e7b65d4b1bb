/** Reading a request's body, bounded: every HTTP door reads through this. */
import type { IncomingMessage } from 'node:http';

/** How much of a refused body is read and dropped before the refusal is sent; past it, or after a second without a byte, the refusal goes at once. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_IDLE_MS = 1000;

/**
 * Refuses an oversized body once the client has finished sending it (bounded, see
 * DRAIN_BYTES). A client writes its whole body before it reads the answer; a refusal sent
 * earlier ends the connection under it, and it sees a broken pipe instead of the 413.
 */
function refuseOnceDrained(req: IncomingMessage, limit: number): Promise<never> {
  return new Promise((_, reject) => {
    let drained = 0;
    let idle: NodeJS.Timeout | undefined;
    const refuse = () => {
      clearTimeout(idle);
      req.off('data', onData).off('end', refuse).off('close', refuse);
      req.resume();
      reject(new BodyTooLargeError(limit));
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      clearTimeout(idle);
      if (drained > DRAIN_BYTES || req.readableEnded) return refuse();
      idle = setTimeout(refuse, DRAIN_IDLE_MS);
    };
    if (req.readableEnded || req.destroyed) return refuse();
    req.on('data', onData).on('end', refuse).on('close', refuse);
    idle = setTimeout(refuse, DRAIN_IDLE_MS);
  });
}

/**
 * Reads a request body up to `limit` bytes; a larger body is refused with 413 once the
 * client has sent it (what is left of it is discarded, so the refusal reaches the client).
 * A client that goes away mid-body rejects it (RequestAbortedError) instead of leaving it
 * pending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return refuseOnceDrained(req, limit);
  if (req.destroyed && !req.readableEnded) return Promise.reject(new RequestAbortedError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      refuseOnceDrained(req, limit).catch(reject);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new RequestAbortedError());
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** The client closed the connection before its request body ended. */
export class RequestAbortedError extends Error {
  readonly status = 400;
  constructor() {
    super('the request was aborted before its body ended');
    this.name = 'RequestAbortedError';
  }
}

export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(limit: number) {
    super(`request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}
