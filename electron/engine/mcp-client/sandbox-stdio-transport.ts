/**
 * The MCP stdio transport for a server that runs inside the sandbox while its client (the
 * built-in agent, the run's start-up check) runs in the engine: the server is a process
 * attached through `docker exec` (stdin, stdout, stderr), and messages are JSON-RPC, one
 * per line, as the stdio transport says. The server is untrusted: a line longer than
 * `maxMessageBytes`, or one that is not a JSON-RPC message, ends the connection with an
 * error saying so (a server that floods or garbles its stdout cannot hold the run up);
 * stderr is kept as a bounded tail for error messages. Closing it ends stdin and kills the
 * server's process group.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { AttachedProcess, AttachOptions, ProcessHost } from '../sandbox/tool-host';

export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const STDERR_TAIL_CHARS = 4096;
const QUOTED_CHARS = 160;

/** Why the connection to a stdio server ended on the server's side. */
export class McpTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpTransportError';
  }
}

const quote = (text: string) => JSON.stringify(text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text);

export class SandboxStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private process: AttachedProcess | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private stderr = '';
  private readonly stderrDecoder = new StringDecoder('utf8');
  private closed = false;
  /** Why the server's side ended the connection (its exit, a bad line), when it did. */
  private failure: string | null = null;

  constructor(
    private readonly host: ProcessHost,
    private readonly argv: string[],
    private readonly options: AttachOptions & { maxMessageBytes?: number } = {},
  ) {}

  /** The end of what the server wrote to stderr. */
  stderrTail(): string {
    return this.stderr.trim();
  }

  /** Why the server ended the connection, if it did (exited, flooded, wrote something that is not JSON-RPC). */
  endedBecause(): string | null {
    return this.failure;
  }

  async start(): Promise<void> {
    if (this.process) throw new Error('SandboxStdioTransport already started');
    const { maxMessageBytes: _max, ...attach } = this.options;
    const proc = await this.host.attach(this.argv, attach);
    this.process = proc;
    proc.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + this.stderrDecoder.write(chunk)).slice(-STDERR_TAIL_CHARS);
    });
    void proc.exited.then((code) => this.fail(`it exited${code === null ? '' : ` with code ${code}`}`, false));
  }

  private read(chunk: Buffer): void {
    if (this.closed) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
      if (line.trim() !== '') this.deliver(line);
      if (this.closed) return;
    }
    const rest = chunk.subarray(start);
    this.pendingBytes += rest.length;
    if (this.pendingBytes > (this.options.maxMessageBytes ?? MAX_MESSAGE_BYTES)) {
      this.fail(`it wrote a line of more than ${Math.round((this.options.maxMessageBytes ?? MAX_MESSAGE_BYTES) / 1024)} KiB on its stdout (one JSON-RPC message per line is the limit)`, true);
      return;
    }
    if (rest.length > 0) this.pending.push(rest);
  }

  private deliver(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return this.fail(`it wrote something that is not JSON-RPC on its stdout: ${quote(line)} (stdout carries only MCP messages; log to stderr)`, true);
    }
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (!parsed.success) return this.fail(`it wrote a JSON value that is not a JSON-RPC message on its stdout: ${quote(line)}`, true);
    this.onmessage?.(parsed.data);
  }

  /** The server's side has ended the connection: say why once, and close. */
  private fail(reason: string, report: boolean): void {
    if (this.closed) return;
    this.failure ??= reason;
    if (report) this.onerror?.(new McpTransportError(reason));
    void this.close();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const proc = this.process;
    if (!proc || this.closed) throw new McpTransportError(this.failure ?? 'the connection to the server is closed');
    await new Promise<void>((resolve, reject) => {
      proc.stdin.write(`${JSON.stringify(message)}\n`, (error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const proc = this.process;
    if (proc) {
      proc.stdin.end();
      await proc.kill().catch(() => undefined);
    }
    this.onclose?.();
  }
}
