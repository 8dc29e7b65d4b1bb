import type { Budget } from '../bounds';
import { num, optionalText, text } from './params';
import { PermanentStepError, type StepTemplate } from './types';

/** Overlapping chunks repeat the text (chunk_size 100,000 with overlap 99,999 would copy it 100,000 times): counted as they are cut. */
function chunksOf(value: string, size: number, overlap: number, budget: Budget): string[] {
  if (overlap >= size) throw new PermanentStepError(`overlap (${overlap}) must be smaller than chunk_size (${size})`);
  const chunks: string[] = [];
  for (let at = 0; at < value.length; at += size - overlap) {
    const chunk = value.slice(at, at + size);
    budget.add(chunk.length + 3, `chunk ${chunks.length}`);
    chunks.push(chunk);
    if (at + size >= value.length) break;
  }
  return chunks;
}

export const textSplit: StepTemplate = {
  activity_name: 'text_split',
  category: 'text',
  description: 'Splits a text into chunks: by `separator` when given, else every `chunk_size` characters with `overlap`.',
  parameters: [
    { name: 'text', type: 'string', required: true, description: 'The text to split.' },
    { name: 'chunk_size', type: 'integer', description: 'Characters per chunk (default 1000).' },
    { name: 'overlap', type: 'integer', description: 'Characters shared by neighbouring chunks (default 0).' },
    { name: 'separator', type: 'string', description: 'Split at each occurrence instead (empty pieces dropped).' },
  ],
  outputs: ['chunks'],
  instant: true,
  run(inputs, ctx) {
    const value = text(inputs, 'text');
    const separator = optionalText(inputs, 'separator');
    const chunks =
      separator !== undefined && separator !== ''
        ? value.split(separator).map((s) => s.trim()).filter((s) => s !== '')
        : chunksOf(value, num(inputs, 'chunk_size', 1000, { min: 1, integer: true }), num(inputs, 'overlap', 0, { min: 0, integer: true }), ctx.outputBudget());
    return { outputs: { chunks, count: chunks.length } };
  },
};
