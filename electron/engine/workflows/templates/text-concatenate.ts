import { asText, list, text } from './params';
import type { StepTemplate } from './types';

export const textConcatenate: StepTemplate = {
  activity_name: 'text_concatenate',
  category: 'text',
  description: 'Joins texts with a separator.',
  parameters: [
    { name: 'texts', type: 'array', required: true, description: 'The texts to join.' },
    { name: 'separator', type: 'string', description: 'Put between texts (default a newline).' },
  ],
  outputs: ['text'],
  instant: true,
  run: (inputs) => ({ outputs: { text: list(inputs, 'texts').map(asText).join(text(inputs, 'separator', '\n')) } }),
};
