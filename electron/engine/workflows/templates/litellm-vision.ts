import { notARunFile } from '../run-files';
import { PROMPT_NAMES } from './litellm-chat';
import { chat, CHAT_PARAMETERS } from './model-call';
import { firstText, optionalText } from './params';
import { PermanentStepError, type StepContext, type StepTemplate } from './types';

/** An image as the chat API takes it: an external URL as is, a file of the run (read through the run-file check) as a data URL. */
async function imageUrl(inputs: Record<string, unknown>, ctx: StepContext): Promise<string> {
  const url = optionalText(inputs, 'image_url');
  if (url) return url;
  const parameter = inputs.image_path_expr !== undefined ? 'image_path_expr' : 'image';
  const reference = optionalText(inputs, parameter);
  if (!reference) throw new PermanentStepError("give the image as 'image_url_path' / 'image_url' (external URL) or 'image_path_expr' / 'image_path' (a stored file of the run)");
  const file = await ctx.readFile(reference);
  if (!file) throw notARunFile(parameter, reference);
  return `data:${file.content_type.startsWith('image/') ? file.content_type : 'image/png'};base64,${file.bytes.toString('base64')}`;
}

export const litellmVision: StepTemplate = {
  activity_name: 'litellm_vision',
  category: 'llm',
  description: 'A chat completion about an image, through the passthrough.',
  parameters: [
    ...CHAT_PARAMETERS,
    { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt'], description: 'What to ask about the image.' },
    { name: 'image_url', type: 'string', description: 'An external image URL (or image_url_path).' },
    { name: 'image_path_expr', type: 'string', description: "A stored image of this run by storage path (an upload, an earlier step's image; or image_path: a path expression naming one)." },
  ],
  outputs: ['text', 'usage', 'model', 'call_id'],
  timeoutMs: 10 * 60_000,
  async run(inputs, ctx) {
    const content = [
      { type: 'text', text: firstText(inputs, PROMPT_NAMES) },
      { type: 'image_url', image_url: { url: await imageUrl(inputs, ctx) } },
    ];
    return chat(ctx, inputs, content);
  },
};
