import { outputUrls, runPrediction, storeOutputs } from '../replicate-prediction';
import { PROMPT_NAMES } from './litellm-chat';
import { firstText, text } from './params';
import { REPLICATE_MODEL } from './replicate-run';
import { PermanentStepError, type StepTemplate } from './types';

export const replicateText2Video: StepTemplate = {
  activity_name: 'replicate_text2video',
  category: 'llm',
  description: 'Generates a video with a Replicate text-to-video model (e.g. minimax/video-01); it is stored as an output file.',
  parameters: [REPLICATE_MODEL, { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt'], description: 'What to film.' }],
  outputs: ['videos', 'prediction_id', 'model', 'call_id'],
  timeoutMs: 60 * 60_000,
  async run(inputs, ctx) {
    const model = text(inputs, 'model');
    const prediction = await runPrediction(ctx, model, { prompt: firstText(inputs, PROMPT_NAMES) });
    const urls = outputUrls(prediction.output);
    if (urls.length === 0) throw new PermanentStepError(`Replicate prediction ${prediction.id} succeeded without a video URL: ${JSON.stringify(prediction.output).slice(0, 200)}`);
    return { outputs: { videos: await storeOutputs(ctx, urls, 'video'), prediction_id: prediction.id, model, call_id: prediction.callId } };
  },
};
