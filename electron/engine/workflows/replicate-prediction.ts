/**
 * One Replicate prediction as a step attempt makes it, through the passthrough's
 * `replicate/` provider: created (`POST /v1/models/{owner}/{name}/predictions`, or
 * `/v1/predictions` with a `version`) with `Prefer: wait` and the attempt's idempotency
 * key, its id checkpointed in the journal at once, then polled (`GET /v1/predictions/{id}`)
 * until it succeeds, fails or is cancelled. An attempt resumed after a crash polls the
 * prediction its interrupted attempt created instead of creating another.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PermanentStepError, SHUTDOWN_REASON, type StepContext, type StepFile } from './templates/types';

type Json = Record<string, unknown>;

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
/** How long the create call asks Replicate to hold the answer (it allows 1–60 s). */
const PREFER_WAIT = 'wait=10';
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 2000;
const CANCEL_TIMEOUT_MS = 10_000;

/** Where a model name creates its predictions: `owner/name` by model, `owner/name:version` or a bare version id by version. */
export function predictionTarget(model: string): { path: string; version: string | null; name: string } {
  const name = model.replace(/^replicate\//, '');
  const colon = name.indexOf(':');
  if (colon > 0) return { path: '/predictions', version: name.slice(colon + 1), name: name.slice(0, colon) };
  if (/^[0-9a-f]{64}$/.test(name)) return { path: '/predictions', version: name, name };
  if (!/^[\w-][\w.-]*\/[\w-][\w.-]*$/.test(name)) throw new PermanentStepError(`model '${model}' is not a Replicate model: give owner/name or owner/name:version`);
  return { path: `/models/${name}/predictions`, version: null, name };
}

/** Input values that name files of the run (from `*_path` keys) sent as data URIs, the way Replicate takes files inline; other values as they are. */
export async function withFileInputs(ctx: StepContext, input: Json): Promise<Json> {
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    const file = typeof value === 'string' ? await ctx.readFile(value) : null;
    out[key] = file ? `data:${file.content_type};base64,${file.bytes.toString('base64')}` : value;
  }
  return out;
}

export interface Prediction {
  id: string;
  status: string;
  output: unknown;
  error: unknown;
  metrics?: unknown;
  /** The passthrough trajectory that recorded the create call (or, adopted, the first poll). */
  callId: string | null;
}

/** Runs one prediction to its end (see the module comment); a failed or cancelled one throws with Replicate's error. */
export async function runPrediction(ctx: StepContext, model: string, input: Json): Promise<Prediction> {
  const target = predictionTarget(model);
  const routed = `replicate/${target.name}`;
  const get = (id: string) => ctx.models.rest({ api: 'replicate', model: routed, method: 'GET', path: `/predictions/${encodeURIComponent(id)}`, body: null }, ctx);
  const adopted = ctx.interrupted?.prediction_id;
  let reply;
  if (typeof adopted === 'string') reply = await get(adopted);
  else {
    const body = { ...(target.version ? { version: target.version } : {}), input };
    reply = await ctx.models.rest({ api: 'replicate', model: routed, method: 'POST', path: target.path, body, headers: { Prefer: PREFER_WAIT } }, ctx);
    if (typeof reply.body.id !== 'string') throw new PermanentStepError('Replicate answered a prediction without an id');
    ctx.checkpoint({ prediction_id: reply.body.id, model });
  }
  const callId = reply.callId;
  let prediction = reply.body;
  try {
    for (let wait = FIRST_POLL_MS; !TERMINAL.has(String(prediction.status)); wait = Math.min(MAX_POLL_MS, wait * 1.5)) {
      // Bounded by the step's timeout, which aborts the signal.
      await sleep(wait, undefined, { signal: ctx.signal });
      prediction = (await get(String(prediction.id))).body;
    }
  } catch (error) {
    // Cancelled or timed out: the prediction is cancelled too (it costs while it runs); at shutdown it is left for the resume.
    if (ctx.signal.aborted && ctx.signal.reason !== SHUTDOWN_REASON) await cancelPrediction(ctx, routed, String(prediction.id));
    throw error;
  }
  const id = String(prediction.id);
  if (prediction.status === 'failed') throw new PermanentStepError(`Replicate prediction ${id} failed: ${typeof prediction.error === 'string' ? prediction.error : JSON.stringify(prediction.error)}`);
  if (prediction.status === 'canceled') throw new PermanentStepError(`Replicate prediction ${id} was canceled`);
  return { id, status: String(prediction.status), output: prediction.output, error: prediction.error ?? null, metrics: prediction.metrics, callId };
}

/** Best effort: a failed cancel is reported and the step's own error stands. */
async function cancelPrediction(ctx: StepContext, routed: string, id: string): Promise<void> {
  const options = { idempotencyKey: `${ctx.idempotencyKey}:cancel`, signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) };
  await ctx.models.rest({ api: 'replicate', model: routed, method: 'POST', path: `/predictions/${encodeURIComponent(id)}/cancel`, body: {} }, options).catch((error: unknown) => {
    console.warn(`Could not cancel Replicate prediction ${id}:`, (error as Error).message);
  });
}

const isUrl = (value: unknown): value is string => typeof value === 'string' && /^(https?:\/\/|data:)/.test(value);

/** The file URLs in a prediction's output (http(s), or data: as sync predictions answer): one URL, a list of them, or the URL values of an object. */
export function outputUrls(output: unknown): string[] {
  if (isUrl(output)) return [output];
  if (Array.isArray(output)) return output.filter(isUrl);
  if (output && typeof output === 'object') return Object.values(output).filter(isUrl);
  return [];
}

/** Downloads every output URL as one of the step's files, `<kind>-<i>`. */
export async function storeOutputs(ctx: StepContext, urls: string[], kind: string): Promise<StepFile[]> {
  const files: StepFile[] = [];
  for (const [i, url] of urls.entries()) {
    const { bytes, contentType } = await ctx.download(url);
    files.push(await ctx.saveFile(`${kind}-${i}`, bytes, contentType));
  }
  return files;
}
