import { outputUrls, runPrediction, storeOutputs } from '../replicate-prediction';
import { PROMPT_NAMES } from './litellm-chat';
import { firstText, num, text } from './params';
import { REPLICATE_MODEL } from './replicate-run';
import { PermanentStepError, type StepTemplate } from './types';

export const replicateText2Image: StepTemplate = {
  activity_name: 'replicate_text2image',
  category: 'llm',
  description: 'Generates images with a Replicate text-to-image model (e.g. black-forest-labs/flux-schnell); each is stored as an output file.',
  parameters: [
    REPLICATE_MODEL,
    { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt'], description: 'What to draw.' },
    { name: 'width', type: 'integer', description: 'Image width in pixels.' },
    { name: 'height', type: 'integer', description: 'Image height in pixels.' },
    { name: 'num_outputs', type: 'integer', description: 'How many images.' },
  ],
  outputs: ['images', 'prediction_id', 'model', 'call_id'],
  timeoutMs: 30 * 60_000,
  async run(inputs, ctx) {
    const model = text(inputs, 'model');
    const input: Record<string, unknown> = { prompt: firstText(inputs, PROMPT_NAMES) };
    for (const name of ['width', 'height', 'num_outputs']) if (inputs[name] !== undefined) input[name] = num(inputs, name, 1, { min: 1, integer: true });
    const prediction = await runPrediction(ctx, model, input);
    const urls = outputUrls(prediction.output);
    if (urls.length === 0) throw new PermanentStepError(`Replicate prediction ${prediction.id} succeeded without image URLs: ${JSON.stringify(prediction.output).slice(0, 200)}`);
    return { outputs: { images: await storeOutputs(ctx, urls, 'image'), prediction_id: prediction.id, model, call_id: prediction.callId } };
  },
};
