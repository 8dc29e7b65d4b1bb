import { forEachReference } from '../paths';
import { asText, object, text } from './params';
import { PermanentStepError, type StepTemplate } from './types';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
  run(inputs, ctx) {
    const { template: _template, variables: _variables, ...rest } = inputs;
    const values = { ...rest, ...object(inputs, 'variables') };
    const template = text(inputs, 'template');
    // Counted piece by piece: a placeholder repeated 200,000 times stops at the output bound, before the text exists.
    const budget = ctx.outputBudget();
    const parts: string[] = [];
    let last = 0;
    forEachReference(template, (inner, start, end) => {
      const name = inner.trim();
      if (!NAME.test(name)) return;
      if (!Object.hasOwn(values, name)) throw new PermanentStepError(`template placeholder '{{ ${name} }}' has no value (variables: ${Object.keys(values).join(', ') || 'none'})`);
      const at = `{{ ${name} }}`;
      budget.expansion(at);
      const value = asText(values[name]);
      budget.add(start - last + value.length, at);
      parts.push(template.slice(last, start), value);
      last = end;
    });
    parts.push(template.slice(last));
    return { outputs: { text: parts.join('') } };
  },
};
