import { asText, object, text } from './params';
import { PermanentStepError, type StepTemplate } from './types';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export const textTemplate: StepTemplate = {
  activity_name: 'text_template',
  category: 'text',
  description: 'Fills {{ name }} placeholders of a template from `variables` (and the other parameters).',
  parameters: [
    { name: 'template', type: 'string', required: true, description: 'The text with {{ name }} placeholders.' },
    { name: 'variables', type: 'object', description: 'Values by placeholder name; other parameters count as variables too.' },
  ],
  outputs: ['text'],
  instant: true,
  run(inputs) {
    const { template: _template, variables: _variables, ...rest } = inputs;
    const values = { ...rest, ...object(inputs, 'variables') };
    const filled = text(inputs, 'template').replace(PLACEHOLDER, (_whole, name: string) => {
      if (!Object.hasOwn(values, name)) throw new PermanentStepError(`template placeholder '{{ ${name} }}' has no value (variables: ${Object.keys(values).join(', ') || 'none'})`);
      return asText(values[name]);
    });
    return { outputs: { text: filled } };
  },
};
