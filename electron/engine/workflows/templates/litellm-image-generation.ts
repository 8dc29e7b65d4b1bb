import { decodeUsage } from '../../wire/responses';
import { trajectoryUsage } from '../../wire/trajectory-usage';
import { PROMPT_NAMES } from './litellm-chat';
import { firstText, num, optionalText, text } from './params';
import { PermanentStepError, type StepTemplate } from './types';

type Json = Record<string, unknown>;

export const litellmImageGeneration: StepTemplate = {
  activity_name: 'litellm_image_generation',
  category: 'llm',
  description: "Generates images with OpenAI's Images API (POST /v1/images/generations) through the passthrough; each image is stored as an output file.",
  parameters: [
    { name: 'model', type: 'string', description: 'Image model (dall-e-3, dall-e-2, gpt-image-1; openai/ prefix optional; default dall-e-3).' },
    { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt'], description: 'What to draw.' },
    { name: 'size', type: 'string', description: 'e.g. 1024x1024, 1792x1024.' },
    { name: 'quality', type: 'string', description: 'standard or hd (DALL·E 3); low, medium, high or auto (gpt-image-1).' },
    { name: 'n', type: 'integer', description: 'How many images (default 1).' },
  ],
  outputs: ['images', 'revised_prompt', 'model', 'usage', 'call_id'],
  timeoutMs: 10 * 60_000,
  async run(inputs, ctx) {
    const model = text(inputs, 'model', 'dall-e-3');
    const bare = model.replace(/^openai\//, '');
    const body: Json = {
      model,
      prompt: firstText(inputs, PROMPT_NAMES),
      ...(inputs.n !== undefined ? { n: num(inputs, 'n', 1, { min: 1, integer: true }) } : {}),
      ...(optionalText(inputs, 'size') ? { size: optionalText(inputs, 'size') } : {}),
      ...(optionalText(inputs, 'quality') ? { quality: optionalText(inputs, 'quality') } : {}),
      // DALL·E answers URLs unless asked for base64; gpt-image-1 always answers base64 and refuses the parameter.
      ...(bare.startsWith('dall-e') ? { response_format: 'b64_json' } : {}),
    };
    const reply = await ctx.models.rest({ api: 'openai-images', model, method: 'POST', path: '/images/generations', body }, ctx);
    const data = Array.isArray(reply.body.data) ? (reply.body.data as Json[]) : [];
    if (data.length === 0) throw new PermanentStepError('the Images API answered no images');
    const images = [];
    for (const [i, item] of data.entries()) {
      if (typeof item.b64_json === 'string') images.push(await ctx.saveFile(`image-${i}`, Buffer.from(item.b64_json, 'base64'), null));
      else if (typeof item.url === 'string') {
        const file = await ctx.download(item.url);
        images.push(await ctx.saveFile(`image-${i}`, file.bytes, file.contentType));
      } else throw new PermanentStepError(`image ${i} of the answer has neither b64_json nor url`);
    }
    // gpt-image-1 answers token usage in the Responses API's shape; DALL·E answers none.
    const reported = reply.body.usage;
    const usage = typeof reported === 'object' && reported !== null ? trajectoryUsage(decodeUsage(reported as Json)) : null;
    return { outputs: { images, revised_prompt: data[0].revised_prompt ?? null, model, usage, call_id: reply.callId }, usage };
  },
};
