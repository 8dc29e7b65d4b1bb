import { randomUUID } from 'node:crypto';
import { Writable, type Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import { envList } from './env';
import { SandboxError, dockerStatusCode, withDocker } from './errors';
import type { ExecOptions, ExecResult } from './tool-host';

/** Output kept per stream in the result (the tail); callbacks still see everything. */
export const MAX_CAPTURED_CHARS = 1024 * 1024;
/** How long a killed command may take to go away before its stream is dropped. */
const KILL_DEADLINE_MS = 2000;
const KILL_RETRY_MS = 250;

/**
 * The command runs under a small shell that records its pid — the exec process is a
 * session and process-group leader (runc makes it one) — so a timeout or an abort can
 * kill the whole group, children included. bash when the image has it, else sh.
 */
const WRAPPER =
  'echo $$ > "$0"; if command -v bash >/dev/null 2>&1; then bash -c "$1"; else sh -c "$1"; fi; ' +
  's=$?; rm -f "$0"; exit $s';
// `kill -SIG -PGID` (no `--`: dash rejects it) kills the wrapper and everything it started.
const KILL_GROUP = 'p=$(cat "$0" 2>/dev/null) && kill -KILL "-$p" 2>/dev/null; rm -f "$0"';

/** Runs `command` in a running container, streaming stdout and stderr separately. */
export async function execInContainer(
  docker: Docker,
  container: Docker.Container,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  options.signal?.throwIfAborted();
  const pidFile = `/tmp/.jetty-exec-${randomUUID()}.pid`;
  const exec = await withDocker(() =>
    container.exec({
      Cmd: ['/bin/sh', '-c', WRAPPER, pidFile, command],
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: options.cwd,
      Env: options.env && envList(options.env),
    }),
  );
  const stream = (await withDocker(() => exec.start({ hijack: true, stdin: false }))) as Duplex;
  const stdout = new Capture(options.onStdout);
  const stderr = new Capture(options.onStderr);
  docker.modem.demuxStream(stream, stdout.writable, stderr.writable);

  const ended = streamEnd(stream);
  const interrupt = waitForInterrupt(options);
  const outcome = await Promise.race([ended.then(() => 'done' as const), interrupt.promise]);
  interrupt.cancel();
  if (outcome !== 'done') await killGroup(container, pidFile, ended, stream);

  if (outcome === 'aborted') throw options.signal?.reason ?? new DOMException('Aborted', 'AbortError');
  const exitCode = await exitCodeOf(exec, outcome === 'timeout');
  return { exitCode, stdout: stdout.text(), stderr: stderr.text(), timedOut: outcome === 'timeout' };
}

/** Decodes one output stream, forwards chunks, and keeps the tail for the result. */
class Capture {
  private readonly decoder = new StringDecoder('utf8');
  private kept = '';
  private dropped = 0;
  readonly writable: Writable;

  constructor(private readonly onChunk?: (chunk: string) => void) {
    this.writable = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.add(this.decoder.write(chunk));
        callback();
      },
    });
  }

  private add(text: string): void {
    if (!text) return;
    this.onChunk?.(text);
    this.kept += text;
    if (this.kept.length > MAX_CAPTURED_CHARS) {
      this.dropped += this.kept.length - MAX_CAPTURED_CHARS;
      this.kept = this.kept.slice(-MAX_CAPTURED_CHARS);
    }
  }

  text(): string {
    this.add(this.decoder.end());
    return this.dropped ? `[… ${this.dropped} characters dropped …]\n${this.kept}` : this.kept;
  }
}

/** Resolves once an exec's stream has ended, closed or failed. */
export function streamEnd(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

function waitForInterrupt(options: ExecOptions) {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const promise = new Promise<'timeout' | 'aborted'>((resolve) => {
    if (options.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    onAbort = () => resolve('aborted');
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const cancel = () => {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  };
  return { promise, cancel };
}

/** Kills the command's process group (its pid in `pidFile`), retrying until its stream ends or the deadline passes. */
export async function killGroup(container: Docker.Container, pidFile: string, ended: Promise<void>, stream: Duplex) {
  const deadline = Date.now() + KILL_DEADLINE_MS;
  let done = false;
  void ended.then(() => (done = true));
  while (!done && Date.now() < deadline) {
    await sendKill(container, pidFile);
    await Promise.race([ended, delay(KILL_RETRY_MS)]);
  }
  if (!done) stream.destroy();
}

async function sendKill(container: Docker.Container, pidFile: string): Promise<void> {
  try {
    const kill = await container.exec({ Cmd: ['/bin/sh', '-c', KILL_GROUP, pidFile] });
    // A detached start still answers with a (empty) stream: read it, or its connection stays open and holds the process.
    const answer = (await kill.start({ Detach: true })) as unknown as { resume?(): unknown } | undefined;
    answer?.resume?.();
  } catch {
    // The container may be gone already (destroyed by a cancel): nothing left to kill.
  }
}

async function exitCodeOf(exec: Docker.Exec, killed: boolean): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const info = await exec.inspect();
      if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    } catch (error) {
      if (dockerStatusCode(error) === 404 || killed) break;
      throw error;
    }
    await delay(25);
  }
  if (killed) return 137;
  throw new SandboxError('The sandbox went away while the command was running');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
