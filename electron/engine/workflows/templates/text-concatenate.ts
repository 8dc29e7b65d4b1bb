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
  run(inputs, ctx) {
    const separator = text(inputs, 'separator', '\n');
    // Counted as it is joined: 200,000 texts with a long separator stop at the output bound.
    const budget = ctx.outputBudget();
    const texts = list(inputs, 'texts').map((item, i) => {
      const piece = asText(item);
      budget.add(piece.length + (i > 0 ? separator.length : 0), `texts[${i}]`);
      return piece;
    });
    return { outputs: { text: texts.join(separator) } };
  },
};
