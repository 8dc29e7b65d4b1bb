import { Transform, type Readable, type Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';

/** How much of an oversized line is kept: enough for its ending, where a client's request id sits. */
const TAIL_BYTES = 512;
const NEWLINE = 0x0a;

/** The id at the end of a JSON-RPC request line (`…,"jsonrpc":"2.0","id":7}`, as the SDK's clients write them), or null. */
export function requestIdAtEnd(tail: string): string | number | null {
  const match = /"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,256}")\s*\}\s*$/.exec(tail);
  return match ? (JSON.parse(match[1]) as string | number) : null;
}

/**
 * Passes whole lines through, each as one chunk; a line longer than `limit` bytes is dropped
 * as it streams (never held whole), and its last bytes go to `onOversize` when it ends.
 */
export function boundedLines(limit: number, onOversize: (tail: string) => void): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  let tail: Buffer | null = null;
  const take = (piece: Buffer) => {
    if (tail === null && size + piece.length <= limit) {
      parts.push(piece);
      size += piece.length;
      return;
    }
    const end = Buffer.concat([...(tail === null ? parts : [tail]), piece]);
    tail = end.subarray(Math.max(0, end.length - TAIL_BYTES));
    parts = [];
    size = 0;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        take(chunk.subarray(start, nl + 1));
        if (tail === null) this.push(Buffer.concat(parts, size));
        else onOversize(tail.toString('utf8'));
        parts = [];
        size = 0;
        tail = null;
        start = nl + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
      done();
    },
  });
}

/**
 * Serves `server` over stdio: JSON-RPC lines on `stdin`, answers on `stdout` (which then
 * carries nothing else). A message larger than `maxMessageBytes` is answered with a
 * JSON-RPC error instead of ending the session. Resolves when `stdin` ends (the client
 * closed it) or the transport closes.
 */
export async function serveStdio(server: McpServer, options: { stdin: Readable; stdout: Writable; maxMessageBytes: number; log(line: string): void }): Promise<void> {
  const { maxMessageBytes } = options;
  const lines = boundedLines(maxMessageBytes, (tail) => {
    const id = requestIdAtEnd(tail);
    const message = `the message is larger than ${maxMessageBytes} bytes (${Math.round(maxMessageBytes / 1048576)} MiB): send smaller arguments (e.g. a path instead of a file's text)`;
    options.log(`jetty mcp: refused ${id === null ? 'a message' : `request ${JSON.stringify(id)}`}: ${message}`);
    if (id !== null) void transport.send({ jsonrpc: '2.0', id, error: { code: ErrorCode.InvalidRequest, message } }).catch(() => undefined);
  });
  const transport = new StdioServerTransport(options.stdin.pipe(lines), options.stdout, { maxBufferSize: 2 * maxMessageBytes });
  const closed = new Promise<void>((resolve) => {
    options.stdin.once('end', resolve);
    options.stdin.once('close', resolve);
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  await closed;
}
