import { readFile } from 'node:fs/promises';
import { lookup } from 'mime-types';
import { PROMPT_NAMES } from './litellm-chat';
import { chat, CHAT_PARAMETERS } from './model-call';
import { firstText, optionalText } from './params';
import { PermanentStepError, type StepTemplate } from './types';

/** An image as the chat API takes it: an external URL as is, a stored file as a data URL. */
async function imageUrl(inputs: Record<string, unknown>): Promise<string> {
  const url = optionalText(inputs, 'image_url');
  if (url) return url;
  const file = optionalText(inputs, 'image_path_expr') ?? optionalText(inputs, 'image');
  if (!file) throw new PermanentStepError("give the image as 'image_url_path' / 'image_url' (external URL) or 'image_path_expr' (a stored file)");
  const bytes = await readFile(file).catch((error: Error) => {
    throw new PermanentStepError(`cannot read image '${file}': ${error.message}`);
  });
  return `data:${lookup(file) || 'image/png'};base64,${bytes.toString('base64')}`;
}

export const litellmVision: StepTemplate = {
  activity_name: 'litellm_vision',
  category: 'llm',
  description: 'A chat completion about an image, through the passthrough.',
  parameters: [
    ...CHAT_PARAMETERS,
    { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt'], description: 'What to ask about the image.' },
    { name: 'image_url', type: 'string', description: 'An external image URL (or image_url_path).' },
    { name: 'image_path_expr', type: 'string', description: 'A stored image file (e.g. from an earlier step).' },
  ],
  outputs: ['text', 'usage', 'model', 'call_id'],
  timeoutMs: 10 * 60_000,
  async run(inputs, ctx) {
    const content = [
      { type: 'text', text: firstText(inputs, PROMPT_NAMES) },
      { type: 'image_url', image_url: { url: await imageUrl(inputs) } },
    ];
    return chat(ctx, inputs, content);
  },
};
