import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CLI_KEY_HEADER, CLI_RUNS_ROUTE, type ServeInfo } from '../engine/base/serve-file';
import type { RunOrder } from '../engine/runs/run-request';
import type { CliRunLine } from '../engine/server/rest/cli-runs';
import { cancelOnSignal, type RunOutput } from './run-output';

const ROUTE = `/api/v1${CLI_RUNS_ROUTE}`;
/** A serve that does not take the connection at once is not used: the run goes on here. */
const CONNECT_MS = 2_000;
/** A serve that took the request but does not start the run within this is reported (it may be stopped, not dead). */
const ANSWER_MS = 60_000;

/** A request to the serve, with its key and token. */
function request(serve: ServeInfo, route: string, body: string): http.ClientRequest {
  return http.request(`${serve.origin}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, [CLI_KEY_HEADER]: serve.key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
}

/** The serve's answer to the run, or null when it could not be reached (nothing started there). */
function send(serve: ServeInfo, body: string): Promise<http.IncomingMessage | null> {
  return new Promise((resolve, reject) => {
    const req = request(serve, ROUTE, body);
    let connected = false;
    const connectTimer = setTimeout(() => !connected && req.destroy(new Error('connect timeout')), CONNECT_MS);
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    const answerTimer = setTimeout(() => req.destroy(new Error(`jetty serve at ${serve.origin} took the run but did not start it within ${ANSWER_MS / 1000} s (is it stopped?); run with --no-serve to run it here`)), ANSWER_MS);
    req.on('response', (res) => {
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      resolve(res);
    });
    req.on('error', (error) => {
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      if (connected && !error.message.startsWith('connect')) reject(error);
      else resolve(null);
    });
    req.end(body);
  });
}

/** The `{error: {message}}` of a refusal, when it is one. */
function errorMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

const readAll = async (res: http.IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of res) if (text.length < 64 * 1024) text += String(chunk);
  return text;
};

/**
 * `jetty run` handed to a running `jetty serve` of the same data folder: the order (paths
 * made absolute) and this process's environment go to it, it assembles and runs the run as
 * this process would, adopting one of its warm sandboxes, and the run's events come back as
 * they happen. The exit code; null when the serve cannot take the run (unreachable, another
 * version of the route, another Docker): nothing started there, and it runs here instead.
 */
export async function runThroughServe(serve: ServeInfo, order: RunOrder, output: RunOutput): Promise<number | null> {
  const { door: _door, ...asked } = order;
  const handed = { ...asked, runbookPath: path.resolve(order.runbookPath), files: order.files?.map((f) => path.resolve(f)) };
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const res = await send(serve, JSON.stringify({ order: handed, env }));
  if (!res) return null;
  if (res.statusCode !== 200 && res.statusCode !== 422) {
    const message = errorMessage(await readAll(res)) ?? `HTTP ${res.statusCode}`;
    // A serve of another Docker, or one whose key is not the file's, is worth a word; an older route's 404 is not.
    if (res.statusCode === 403 || res.statusCode === 409) process.stderr.write(`jetty run: jetty serve at ${serve.origin} did not take the run (${message}); it runs here\n`);
    return null;
  }
  process.stderr.write(`jetty run: running through jetty serve at ${serve.origin} (pid ${serve.pid}, its warm sandboxes); --no-serve runs it in this process\n`);
  let id: string | null = null;
  const stopListening = cancelOnSignal(() => {
    if (id) request(serve, `${ROUTE}/${encodeURIComponent(id)}/cancel`, '{}').on('error', () => undefined).end('{}');
  }, output.json);
  try {
    for await (const text of createInterface({ input: res, crlfDelay: Infinity })) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as CliRunLine;
      if (line.type === 'refused') return output.refused(line.message, line.problems);
      if (line.type === 'trajectory') output.announce((id = line.id));
      else if (line.type === 'event' && id) output.event(id, line.event);
      else if (line.type === 'result') return output.result(line.trajectory);
    }
  } catch (error) {
    process.stderr.write(`jetty run: the answer of jetty serve at ${serve.origin} broke off: ${(error as Error).message}\n`);
    return 1;
  } finally {
    stopListening();
  }
  process.stderr.write(`jetty run: jetty serve at ${serve.origin} went away before the run${id ? ` ${id}` : ''} ended (was it stopped?); the run was cut short there\n`);
  return 1;
}
