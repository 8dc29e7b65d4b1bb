import { text } from './params';
import type { StepTemplate } from './types';

export const textEcho: StepTemplate = {
  activity_name: 'text_echo',
  category: 'text',
  description: 'Returns its text unchanged.',
  parameters: [{ name: 'text', type: 'string', required: true, description: 'The text to return.' }],
  outputs: ['text'],
  instant: true,
  run: (inputs) => ({ outputs: { text: text(inputs, 'text') } }),
};
