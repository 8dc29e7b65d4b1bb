/**
 * The image and Replicate step templates against the scripted model server through the
 * real engine, its local API and the passthrough (real HTTP, real SQLite): outputs stored as
 * files and downloadable, each call recorded by the passthrough, Replicate's failures,
 * validation errors and throttling.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_PNG } from '../helpers/scripted-model-images';
import { SCRIPTED_MP4 } from '../helpers/scripted-model-replicate';
import { fail, predictionFailed, reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';

const userText = (r: ChatRequest) => String(r.messages.at(-1)?.content ?? '');

/** Answers by the prompt: each test names what it expects in its prompts. */
function script(request: ChatRequest) {
  const prompt = userText(request);
  if (prompt.startsWith('throttled')) return throttled.shift() ?? reply('after the wait');
  if (prompt.startsWith('broken')) return predictionFailed('CUDA error: out of memory (scripted)');
  if (prompt.startsWith('A sunset')) return reply('A vivid sunset over a calm sea, digital art');
  return reply(`seen: ${prompt}`);
}
let throttled: ReturnType<typeof fail>[] = [];

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(script, { model: { apiKey: undefined } });
});
afterAll(async () => api?.close());

/** Downloads a stored output through `GET /api/v1/file/{path}`. */
async function download(relative: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${api.base}/file/${relative}`, { headers: { authorization: `Bearer ${api.token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The passthrough trajectory that recorded a call. */
const recorded = (id: string): Json => api.engine.services.store.getTrajectory(id);

const requestsTo = (pathname: string) => api.model.requests.filter((r) => r.path === pathname);

describe('image and Replicate step templates (real engine, passthrough, scripted server)', () => {
  it('litellm_image_generation: DALL·E 3 through the Images API, the image stored and downloadable, the call recorded', async () => {
    const res = await api.runSync('dalle', { step_configs: { draw: { activity: 'litellm_image_generation', model: 'dall-e-3', prompt: 'A sunset', size: '1792x1024', quality: 'hd' } }, steps: ['draw'] });
    expect(res.status).toBe(200);
    const t = res.json.trajectory;
    expect(t.status).toBe('completed');
    const out = t.steps.draw.outputs;
    expect(out.images).toHaveLength(1);
    expect(out.images[0]).toMatchObject({ extension: 'png', content_type: 'image/png', size: SCRIPTED_PNG.length });
    expect(out.images[0].path).toBe(`wf/outputs/${t.id}/draw/image-0.png`);
    expect(out.revised_prompt).toBe('A vivid sunset over a calm sea, digital art');
    const file = await download(out.images[0].path);
    expect(file.status).toBe(200);
    expect(file.type).toBe('image/png');
    expect(file.bytes.equals(SCRIPTED_PNG)).toBe(true);
    // What reached the provider: its own model name, b64_json asked for, the attempt's idempotency key.
    const sent = requestsTo('/v1/images/generations').at(-1)!;
    expect(sent.body).toMatchObject({ model: 'dall-e-3', prompt: 'A sunset', size: '1792x1024', quality: 'hd', response_format: 'b64_json' });
    expect(sent.headers['idempotency-key']).toBe(`${t.id}:draw:1`);
    await expect.poll(() => recorded(out.call_id)?.status, { timeout: 10_000 }).toBe('completed');
    expect(recorded(out.call_id)).toMatchObject({ kind: 'passthrough', task: 'openai', init_params: { api: 'openai-images', model: 'dall-e-3' } });
    // The recording keeps the answer without its base64 image (the step stored it as a file).
    expect(recorded(out.call_id).steps.completion.outputs.response.data).toEqual([{ b64_json_bytes: SCRIPTED_PNG.length, revised_prompt: 'A vivid sunset over a calm sea, digital art' }]);
  });

  it('litellm_image_generation: gpt-image-1 (base64 always, token usage) and an invalid size refused at once with OpenAI’s message', async () => {
    const ok = (await api.runSync('gptimage', { step_configs: { draw: { activity: 'litellm_image_generation', model: 'openai/gpt-image-1', prompt: 'a red cube', n: 2 } }, steps: ['draw'] })).json.trajectory;
    expect(ok.status).toBe('completed');
    expect(ok.steps.draw.outputs.images.map((i: Json) => i.path)).toEqual([`wf/outputs/${ok.id}/draw/image-0.png`, `wf/outputs/${ok.id}/draw/image-1.png`]);
    const usage = ok.steps.draw.outputs.usage;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage).toEqual({ prompt_tokens: usage.prompt_tokens, completion_tokens: 272, total_tokens: usage.prompt_tokens + 272 });
    expect(requestsTo('/v1/images/generations').at(-1)!.body).not.toHaveProperty('response_format');
    const before = requestsTo('/v1/images/generations').length;
    const bad = (await api.runSync('badsize', { step_configs: { draw: { activity: 'litellm_image_generation', model: 'dall-e-3', prompt: 'x', size: '999x999', retries: 3 } }, steps: ['draw'] })).json.trajectory;
    expect(bad.status).toBe('failed');
    expect(bad.error).toBe("step 'draw' failed: openai-images call failed with 400: Invalid value: '999x999'. Supported values are: '1024x1024', '1792x1024', '1024x1792'.");
    expect(requestsTo('/v1/images/generations').length).toBe(before + 1);
  });

  it('gemini_image_generator: generateContent with IMAGE output, the inline image stored and downloadable', async () => {
    const t = (await api.runSync('gemini-img', { step_configs: { draw: { activity: 'gemini_image_generator', prompt: 'A sunset' } }, steps: ['draw'] })).json.trajectory;
    expect(t.status).toBe('completed');
    const out = t.steps.draw.outputs;
    expect(out).toMatchObject({ text: 'A vivid sunset over a calm sea, digital art', model: 'gemini-2.5-flash-image', images: [{ content_type: 'image/png', extension: 'png' }] });
    expect((await download(out.images[0].path)).bytes.equals(SCRIPTED_PNG)).toBe(true);
    // Usage read from Gemini's usageMetadata (the image's 1,290 output tokens).
    expect(out.usage.prompt_tokens).toBeGreaterThan(0);
    expect(out.usage).toEqual({ prompt_tokens: out.usage.prompt_tokens, completion_tokens: 1290, total_tokens: out.usage.prompt_tokens + 1290 });
    const sent = requestsTo('/v1beta/models/gemini-2.5-flash-image:generateContent').at(-1)!;
    expect(sent.body).toMatchObject({ generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } });
    expect(sent.headers['x-goog-api-key']).toBe('gemini-test');
  });

  it('replicate_text2image: a prediction created by model, polled to success, its output URLs downloaded as files', async () => {
    const before = api.model.predictions.length;
    const t = (await api.runSync('flux', { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'A sunset', width: 1024, height: 768, num_outputs: 2 } }, steps: ['draw'] })).json.trajectory;
    expect(t.status).toBe('completed');
    expect(api.model.predictions.length).toBe(before + 1);
    const prediction = api.model.predictions.at(-1)!;
    expect(prediction).toMatchObject({ model: 'black-forest-labs/flux-schnell', input: { prompt: 'A sunset', width: 1024, height: 768, num_outputs: 2 }, status: 'succeeded', idempotencyKey: `${t.id}:draw:1` });
    const out = t.steps.draw.outputs;
    expect(out.prediction_id).toBe(prediction.id);
    expect(out.images).toHaveLength(2);
    for (const image of out.images) expect((await download(image.path)).bytes.equals(SCRIPTED_PNG)).toBe(true);
    const create = requestsTo('/v1/models/black-forest-labs/flux-schnell/predictions').at(-1)!;
    expect(create.headers).toMatchObject({ authorization: 'Bearer r8_test', prefer: 'wait=10' });
    expect(requestsTo(`/v1/predictions/${prediction.id}`).length).toBe(2);
    await expect.poll(() => recorded(out.call_id)?.status, { timeout: 10_000 }).toBe('completed');
    expect(recorded(out.call_id)).toMatchObject({ task: 'replicate', init_params: { api: 'replicate', model: 'replicate/black-forest-labs/flux-schnell' } });
  });

  it('replicate_text2video: the video output stored as an mp4 file', async () => {
    const t = (await api.runSync('video', { step_configs: { film: { activity: 'replicate_text2video', model: 'minimax/video-01', prompt: 'waves' } }, steps: ['film'] })).json.trajectory;
    expect(t.status).toBe('completed');
    expect(t.steps.film.outputs.videos).toEqual([{ path: `wf/outputs/${t.id}/film/video-0.mp4`, extension: 'mp4', content_type: 'video/mp4', size: SCRIPTED_MP4.length }]);
    expect((await download(t.steps.film.outputs.videos[0].path)).bytes.equals(SCRIPTED_MP4)).toBe(true);
  });

  it('replicate_run: a version prediction whose *_path input names an earlier step’s image is sent it as a data URI', async () => {
    const version = 'a'.repeat(64);
    const workflow = {
      step_configs: {
        draw: { activity: 'litellm_image_generation', model: 'dall-e-3', prompt: 'A sunset' },
        caption: { activity: 'replicate_run', model: `yorickvp/llava-13b:${version}`, input: { prompt: 'describe it', image_path: 'draw.outputs.images[0].path' } },
      },
      steps: ['draw', 'caption'],
    };
    const t = (await api.runSync('llava', workflow)).json.trajectory;
    expect(t.status).toBe('completed');
    expect(requestsTo('/v1/predictions').at(-1)!.body).toMatchObject({ version, input: { prompt: 'describe it', image: `data:image/png;base64,${SCRIPTED_PNG.toString('base64')}` } });
    expect(t.steps.caption.outputs).toMatchObject({ output: ['seen: ', 'describe ', 'it'], files: [], model: `yorickvp/llava-13b:${version}` });
  });

  it('a prediction that fails fails the step with Replicate’s error, without a second prediction', async () => {
    const before = api.model.predictions.length;
    const t = (await api.runSync('broken', { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'broken' } }, steps: ['draw'] })).json.trajectory;
    expect(t.status).toBe('failed');
    const id = api.model.predictions.at(-1)!.id;
    expect(t.error).toBe(`step 'draw' failed: Replicate prediction ${id} failed: CUDA error: out of memory (scripted)`);
    expect(api.model.predictions.length).toBe(before + 1);
  });

  it('bad input is a 422 that fails the step at once with Replicate’s detail', async () => {
    const before = api.model.requests.length;
    const t = (await api.runSync('too-wide', { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'x', width: 5000, retries: 3 } }, steps: ['draw'] })).json.trajectory;
    expect(t.status).toBe('failed');
    expect(t.error).toBe("step 'draw' failed: replicate call failed with 422: - input.width: Must be less than or equal to 1440");
    expect(api.model.requests.length).toBe(before + 1);
  });

  it('a 429 with retry-after is retried, each attempt in the trajectory, one prediction made', async () => {
    throttled = [fail(429, { retryAfterSeconds: 0 }), fail(429, { retryAfterSeconds: 0 })];
    const before = api.model.predictions.length;
    const t = (await api.runSync('throttled', { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'throttled' } }, steps: ['draw'] })).json.trajectory;
    expect(t.status).toBe('completed');
    expect(api.model.predictions.length).toBe(before + 1);
    const db = new Database(path.join(api.dataDir, 'jetty.db'), { readonly: true });
    const retries = db.prepare("SELECT payload FROM events WHERE trajectory_id = ? AND type = 'retry' ORDER BY seq").all(t.id) as { payload: string }[];
    db.close();
    expect(retries.map((r) => JSON.parse(r.payload).error)).toEqual([
      'replicate call failed with 429: Request was throttled. Expected available in 0 second.',
      'replicate call failed with 429: Request was throttled. Expected available in 0 second.',
    ]);
  });

  it('the replicate/ provider takes no chat calls (it speaks only its own API)', async () => {
    const t = (await api.runSync('chat-replicate', { step_configs: { ask: { activity: 'litellm_chat', model: 'replicate/meta/llama', prompt: 'hi', retries: 3 } }, steps: ['ask'] })).json.trajectory;
    expect(t.status).toBe('failed');
    expect(t.error).toBe("step 'ask' failed: model call failed with 400: provider replicate speaks only its own API (the replicate_* workflow steps), not chat-completions");
  });

  it('GET /step-templates lists the image and Replicate templates (it lists only what executes)', async () => {
    const res = await fetch(`${api.base}/step-templates`);
    const names = ((await res.json()) as Json).templates.map((t: Json) => t.activity_name);
    expect(names).toEqual(expect.arrayContaining(['litellm_image_generation', 'gemini_image_generator', 'replicate_text2image', 'replicate_text2video', 'replicate_run']));
  });
});

describe('cancelling a Replicate step', () => {
  let held: WorkflowApi;
  beforeAll(async () => {
    // Predictions never finish here: the step is still polling when it is cancelled.
    held = await startWorkflowApi(() => reply('never'), { model: { replicate: { holdUntil: new Promise(() => undefined) } } });
  });
  afterAll(async () => held?.close());

  it('cancelling the workflow cancels its prediction at Replicate', async () => {
    const handle = held.engine.workflows.start({ collection: 'wf', task: 'cancel', document: { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'slow' } }, steps: ['draw'] } });
    const prediction = () => held.model.predictions[0];
    await expect.poll(() => held.model.requests.some((r) => r.method === 'GET' && r.path === `/v1/predictions/${prediction()?.id}`), { timeout: 10_000 }).toBe(true);
    expect(held.engine.workflows.cancel(handle.id)).toBe(true);
    const t = await handle.done;
    expect(t.status).toBe('cancelled');
    expect(prediction().status).toBe('canceled');
    expect(held.model.requests.filter((r) => r.path === `/v1/predictions/${prediction().id}/cancel`)).toHaveLength(1);
  });
});
