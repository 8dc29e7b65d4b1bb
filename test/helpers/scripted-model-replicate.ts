/**
 * The scripted model server's Replicate HTTP API: `POST /v1/models/{owner}/{name}/predictions`
 * and `POST /v1/predictions` (with `version`) create a prediction (201, `starting`),
 * `GET /v1/predictions/{id}` polls it (`processing`, then `succeeded` with output URLs the
 * server serves, or `failed` with an error), `POST /v1/predictions/{id}/cancel` cancels it.
 * Input is validated (422 in Replicate's problem shape), a scripted error answers in that
 * shape too (429 with `retry-after`), an `Idempotency-Key` already seen returns its
 * prediction instead of creating one. `created` lists every prediction made.
 *
 * Scripts decide each create: a reply succeeds (its text is a language model's output), a
 * `prediction_failed` step fails with its error, an error step is the HTTP answer.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { SCRIPTED_PNG } from './scripted-model-images';
import type { ChatRequest, ScriptStep } from './scripted-model-server';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Replicate prediction that fails (the create call itself succeeds). */
export interface PredictionFailedStep {
  type: 'prediction_failed';
  error: string;
}
export const predictionFailed = (error: string): PredictionFailedStep => ({ type: 'prediction_failed', error });

/** Bytes that start like an MP4 file (an `ftyp` box): what a scripted video is. */
export const SCRIPTED_MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1')]);

export interface ScriptedPrediction {
  id: string;
  model: string;
  version: string | null;
  input: Json;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  polls: number;
  idempotencyKey: string | null;
  /** How it will end, from the script. */
  outcome: { output: unknown } | { error: string };
  created_at: string;
  completed_at: string | null;
}

export interface ReplicateOptions {
  /** Polls a prediction answers `processing` before it ends (default 2). */
  pollsUntilDone?: number;
  /** Predictions stay `processing` until this settles. */
  holdUntil?: Promise<unknown>;
}

export interface ReplicateDeps extends ReplicateOptions {
  /** The script's step for a create (in the chat shape scripts read). */
  nextStep(request: ChatRequest): Promise<ScriptStep>;
  /** Answers a hang or a reset step as the rest of the server does. */
  answerOther(step: ScriptStep, request: ChatRequest, res: http.ServerResponse): Promise<void>;
  send(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
  /** The server's origin (`http://127.0.0.1:port`), for output URLs. */
  origin(): string;
  apiKey?: string;
}

const FILES = '/replicate-files/';

/** Replicate's error body: an RFC 7807 problem. */
export const replicateProblem = (status: number, title: string, detail: string, extra: Json = {}) => ({ title, detail, status, ...extra });

const TITLES: Record<number, string> = { 401: 'Unauthenticated', 404: 'Not found', 422: 'Input validation failed', 429: 'Too Many Requests', 500: 'Internal Server Error' };

/** Why Replicate would refuse this input (422 detail lines), or null. */
function invalidInput(body: Json): { field: string; description: string }[] | null {
  if (!isObject(body.input)) return [{ field: 'input', description: `Invalid type. Expected: object, given: ${body.input === undefined ? 'null' : typeof body.input}` }];
  const fields: { field: string; description: string }[] = [];
  for (const name of ['width', 'height']) {
    const v = body.input[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) fields.push({ field: `input.${name}`, description: `Invalid type. Expected: integer, given: ${typeof v}` });
    else if (v > 1440) fields.push({ field: `input.${name}`, description: 'Must be less than or equal to 1440' });
  }
  if (body.input.prompt !== undefined && typeof body.input.prompt !== 'string') fields.push({ field: 'input.prompt', description: `Invalid type. Expected: string, given: ${typeof body.input.prompt}` });
  return fields.length > 0 ? fields : null;
}

export function replicateApi(deps: ReplicateDeps) {
  const predictions = new Map<string, ScriptedPrediction>();
  const created: ScriptedPrediction[] = [];
  const byKey = new Map<string, string>();
  let released = deps.holdUntil === undefined;
  void deps.holdUntil?.then(() => (released = true));
  const pollsUntilDone = deps.pollsUntilDone ?? 2;

  const outputOf = (p: ScriptedPrediction, content: string | undefined): unknown => {
    const base = `${deps.origin()}${FILES}${p.id}`;
    if (/video/i.test(p.model)) return `${base}/output.mp4`;
    if (/flux|sdxl|diffusion|image|imagen/i.test(p.model) || p.input.num_outputs !== undefined) {
      return Array.from({ length: Number(p.input.num_outputs ?? 1) }, (_, i) => `${base}/out-${i}.png`);
    }
    return (content ?? '').split(/(?<= )/);
  };

  /** The prediction as the API shows it. */
  const view = (p: ScriptedPrediction): Json => {
    const done = p.status === 'succeeded' || p.status === 'failed' || p.status === 'canceled';
    const api = `${deps.origin()}/v1/predictions/${p.id}`;
    return {
      id: p.id,
      model: p.model,
      version: p.version ?? 'dp-scripted',
      input: p.input,
      logs: p.status === 'starting' ? '' : 'scripted: running\n',
      output: p.status === 'succeeded' && 'output' in p.outcome ? p.outcome.output : null,
      data_removed: false,
      error: p.status === 'failed' && 'error' in p.outcome ? p.outcome.error : null,
      status: p.status,
      created_at: p.created_at,
      ...(p.status !== 'starting' ? { started_at: p.created_at } : {}),
      ...(done ? { completed_at: p.completed_at, metrics: { predict_time: 0.01, total_time: 0.02 } } : {}),
      urls: { cancel: `${api}/cancel`, get: api, web: `https://replicate.com/p/${p.id}` },
    };
  };

  /** A poll moves a prediction on: processing, then (once released) its outcome. */
  const advance = (p: ScriptedPrediction) => {
    if (p.status !== 'starting' && p.status !== 'processing') return;
    p.polls++;
    p.status = 'processing';
    if (released && p.polls >= pollsUntilDone) {
      p.status = 'output' in p.outcome ? 'succeeded' : 'failed';
      p.completed_at = new Date().toISOString();
    }
  };

  async function create(req: http.IncomingMessage, res: http.ServerResponse, model: string | null, body: unknown, parseError: boolean) {
    if (parseError || !isObject(body)) return deps.send(res, 400, replicateProblem(400, 'Bad request', 'The request body is not valid JSON.'));
    const version = typeof body.version === 'string' ? body.version : null;
    if (!model && !version) return deps.send(res, 422, replicateProblem(422, TITLES[422], '- version: Invalid type. Expected: string, given: null'));
    const invalid = invalidInput(body);
    if (invalid) {
      const detail = invalid.map((f) => `- ${f.field}: ${f.description}`).join('\n');
      return deps.send(res, 422, replicateProblem(422, TITLES[422], detail, { invalid_fields: invalid.map((f) => ({ type: 'invalid', ...f })) }));
    }
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const known = key ? predictions.get(byKey.get(key) ?? '') : undefined;
    if (known) return deps.send(res, 201, view(known));
    const input = body.input as Json;
    const name = model ?? version!.split(':')[0];
    const request: ChatRequest = { model: name, messages: [{ role: 'user', content: typeof input.prompt === 'string' ? input.prompt : JSON.stringify(input) }] };
    const step = await deps.nextStep(request);
    if (step.type === 'error') {
      const headers: Record<string, string> = step.retryAfterSeconds !== undefined ? { 'retry-after': String(step.retryAfterSeconds) } : {};
      const detail = step.message ?? (step.status === 429 ? `Request was throttled. Expected available in ${step.retryAfterSeconds ?? 1} second.` : `HTTP ${step.status}`);
      return deps.send(res, step.status, replicateProblem(step.status, TITLES[step.status] ?? 'Error', detail), headers);
    }
    if (step.type === 'hang' || step.type === 'reset' || step.type === 'flood') return deps.answerOther(step, request, res);
    const prediction: ScriptedPrediction = {
      id: randomBytes(13).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'q').slice(0, 26),
      model: name,
      version,
      input,
      status: 'starting',
      polls: 0,
      idempotencyKey: key,
      outcome: { error: '' },
      created_at: new Date().toISOString(),
      completed_at: null,
    };
    prediction.outcome = step.type === 'prediction_failed' ? { error: step.error } : { output: outputOf(prediction, step.content) };
    predictions.set(prediction.id, prediction);
    created.push(prediction);
    if (key) byKey.set(key, prediction.id);
    deps.send(res, 201, view(prediction));
  }

  /** Handles a Replicate request; false when the path is not Replicate's. */
  async function handle(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, parseError: boolean): Promise<boolean> {
    if (req.method === 'GET' && path.startsWith(FILES)) {
      const [id, file] = path.slice(FILES.length).split('/');
      if (!predictions.has(id) || !file) return deps.send(res, 404, replicateProblem(404, TITLES[404], 'No such file.')), true;
      const mp4 = file.endsWith('.mp4');
      res.writeHead(200, { 'content-type': mp4 ? 'video/mp4' : 'image/png' });
      res.end(mp4 ? SCRIPTED_MP4 : SCRIPTED_PNG);
      return true;
    }
    const byModel = /^\/v1\/models\/([^/]+\/[^/]+)\/predictions$/.exec(path);
    const one = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(path);
    if (!byModel && !one && path !== '/v1/predictions') return false;
    const auth = req.headers.authorization;
    if (deps.apiKey !== undefined && auth !== `Bearer ${deps.apiKey}` && auth !== `Token ${deps.apiKey}`) {
      return deps.send(res, 401, replicateProblem(401, TITLES[401], 'You did not pass a valid authentication token')), true;
    }
    if (req.method === 'POST' && (byModel || path === '/v1/predictions')) return await create(req, res, byModel?.[1] ?? null, body, parseError), true;
    const prediction = one ? predictions.get(one[1]) : undefined;
    if (!prediction) return deps.send(res, 404, replicateProblem(404, TITLES[404], 'The requested resource could not be found.')), true;
    if (req.method === 'GET' && !one![2]) advance(prediction);
    else if (req.method === 'POST' && one![2]) {
      if (prediction.status === 'starting' || prediction.status === 'processing') prediction.status = 'canceled';
    } else return deps.send(res, 405, replicateProblem(405, 'Method not allowed', `${req.method} ${path}`)), true;
    deps.send(res, 200, view(prediction));
    return true;
  }

  return { created, handle };
}
