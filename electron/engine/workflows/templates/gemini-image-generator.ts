import { decodeUsage } from '../../wire/gemini';
import { trajectoryUsage } from '../../wire/trajectory-usage';
import { PROMPT_NAMES } from './litellm-chat';
import { firstText, text } from './params';
import { PermanentStepError, type StepTemplate } from './types';

type Json = Record<string, unknown>;

export const geminiImageGenerator: StepTemplate = {
  activity_name: 'gemini_image_generator',
  category: 'llm',
  description: "Generates images with a Gemini image model (generateContent with IMAGE output) through the passthrough's gemini/ provider; each inline image is stored as an output file.",
  parameters: [
    { name: 'model', type: 'string', description: 'Gemini image model (default gemini-2.5-flash-image; gemini/ prefix optional).' },
    { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt'], description: 'What to draw.' },
  ],
  outputs: ['images', 'text', 'model', 'usage', 'call_id'],
  timeoutMs: 10 * 60_000,
  async run(inputs, ctx) {
    const model = text(inputs, 'model', 'gemini-2.5-flash-image');
    const body = {
      contents: [{ role: 'user', parts: [{ text: firstText(inputs, PROMPT_NAMES) }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'] },
    };
    const reply = await ctx.models.gemini(model.includes('/') ? model : `gemini/${model}`, body, ctx);
    const candidate = ((reply.body.candidates as Json[] | undefined) ?? [])[0] as Json | undefined;
    const parts = (((candidate?.content as Json | undefined)?.parts as Json[] | undefined) ?? []) as Json[];
    const images = [];
    const texts: string[] = [];
    for (const part of parts) {
      // The REST API answers camelCase; snake_case is what its request side also accepts.
      const inline = (part.inlineData ?? part.inline_data) as Json | undefined;
      if (inline && typeof inline.data === 'string') {
        const type = (inline.mimeType ?? inline.mime_type) as string | undefined;
        images.push(await ctx.saveFile(`image-${images.length}`, Buffer.from(inline.data, 'base64'), type ?? null));
      } else if (typeof part.text === 'string') texts.push(part.text);
    }
    if (images.length === 0) throw new PermanentStepError(`Gemini answered no image (finish reason ${String(candidate?.finishReason ?? 'none')})${texts.length ? `: ${texts.join('').slice(0, 300)}` : ''}`);
    const metadata = reply.body.usageMetadata;
    const usage = typeof metadata === 'object' && metadata !== null ? trajectoryUsage(decodeUsage(metadata as Json)) : null;
    return { outputs: { images, text: texts.join(''), model, usage, call_id: reply.callId }, usage };
  },
};
