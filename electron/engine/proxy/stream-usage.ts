/**
 * Usage for a streamed OpenAI-style call whose client did not ask for it: the passthrough
 * asks the provider (`stream_options.include_usage`) so the call is recorded with its
 * tokens, and this filter takes the usage back out of the stream before the client sees
 * it — the chunk that carries only usage (`choices: []`) is dropped, a `usage` on a chunk
 * with content is removed, and the `"usage":null` OpenAI puts on every other chunk too —
 * so the client receives what it would have without the question.
 *
 * Chunks of whole frames without `"usage"` in them pass as they came (two byte searches);
 * only frames that name it are parsed. A frame split across chunks waits for its end.
 */
import { decodeUsage } from '../wire/chat-completions';
import { isObject, parseJson, type Usage } from '../wire/internal';

const USAGE = Buffer.from('"usage"');
const FRAME_END = Buffer.from('\n\n');
const CRLF_FRAME_END = Buffer.from('\r\n\r\n');
/** The most of one frame held while it completes. */
const MAX_PENDING_BYTES = 1024 * 1024;
const NULL_USAGE = /,\s*"usage"\s*:\s*null|"usage"\s*:\s*null\s*,?/g;

export interface UsageFilter {
  /** The provider's next bytes; what the client gets of them goes to `forward`. */
  push(chunk: Buffer): void;
  /** The stream ended: what is left goes on as it is. */
  end(): void;
}

/** One SSE frame without its usage (null: drop it), the usage handed to `onUsage`. */
function filterFrame(frame: string, onUsage: (usage: Usage) => void): string | null {
  const data = /^data: ?(.*)$/ms.exec(frame.trim());
  const chunk = data ? parseJson(data[1]) : undefined;
  if (!isObject(chunk) || !('usage' in chunk)) return frame;
  if (isObject(chunk.usage)) onUsage(decodeUsage(chunk.usage));
  if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return null;
  if (chunk.usage === null) return frame.replace(NULL_USAGE, '');
  const { usage: _usage, ...rest } = chunk;
  return `data: ${JSON.stringify(rest)}\n\n`;
}

/** Where the last complete frame of `bytes` ends (after its blank line, `\n\n` or `\r\n\r\n`), or 0. */
function frameEnd(bytes: Buffer): number {
  const lf = bytes.lastIndexOf(FRAME_END);
  const crlf = bytes.lastIndexOf(CRLF_FRAME_END);
  return Math.max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 4);
}

export function usageFilter(forward: (bytes: Buffer) => void, onUsage: (usage: Usage) => void): UsageFilter {
  let pending: Buffer | null = null;
  return {
    push(chunk) {
      const bytes = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = null;
      const end = frameEnd(bytes);
      // The common case: whole frames, none naming usage.
      if (end === bytes.length && bytes.indexOf(USAGE) < 0) return forward(bytes);
      if (end === 0) {
        // A frame still coming (one that never ends is passed on as it is past the bound).
        if (bytes.length > MAX_PENDING_BYTES) forward(bytes);
        else pending = Buffer.from(bytes);
        return;
      }
      const whole = bytes.subarray(0, end);
      if (end < bytes.length) pending = Buffer.from(bytes.subarray(end));
      if (whole.indexOf(USAGE) < 0) return forward(whole);
      const kept = whole
        .toString('utf8')
        .split(/(?<=\r?\n\r?\n)/)
        .map((frame) => (frame.includes('"usage"') ? filterFrame(frame, onUsage) : frame))
        .filter((frame): frame is string => frame !== null)
        .join('');
      if (kept) forward(Buffer.from(kept));
    },
    end() {
      if (pending) forward(pending);
      pending = null;
    },
  };
}
