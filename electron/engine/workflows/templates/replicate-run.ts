import { outputUrls, runPrediction, storeOutputs, withFileInputs } from '../replicate-prediction';
import { object, text } from './params';
import type { ParameterSpec, StepTemplate } from './types';

export const REPLICATE_MODEL: ParameterSpec = { name: 'model', type: 'string', required: true, description: 'Replicate model: owner/name, or owner/name:version (replicate/ prefix optional).' };

export const replicateRun: StepTemplate = {
  activity_name: 'replicate_run',
  category: 'llm',
  description: "Runs any Replicate model through the passthrough's replicate/ provider; file URLs in its output are stored as output files.",
  parameters: [REPLICATE_MODEL, { name: 'input', type: 'object', required: true, description: "The model's input; *_path keys inside that name stored files are sent as data URIs." }],
  outputs: ['output', 'files', 'prediction_id', 'model', 'metrics', 'call_id'],
  timeoutMs: 30 * 60_000,
  async run(inputs, ctx) {
    const model = text(inputs, 'model');
    const prediction = await runPrediction(ctx, model, await withFileInputs(ctx, object(inputs, 'input')));
    const files = await storeOutputs(ctx, outputUrls(prediction.output), 'output');
    return { outputs: { output: prediction.output, files, prediction_id: prediction.id, model, metrics: prediction.metrics ?? null, call_id: prediction.callId } };
  },
};
