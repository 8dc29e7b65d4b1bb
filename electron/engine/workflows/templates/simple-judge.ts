import { isPathExpression } from '../inputs';
import { chat, CHAT_PARAMETERS } from './model-call';
import { asText, bool, optionalText, text } from './params';
import { PermanentStepError, type StepContext, type StepTemplate } from './types';

type Json = Record<string, unknown>;

/** `items` may list path expressions as plain strings; those are read from the run. */
function itemsOf(inputs: Json, ctx: StepContext): unknown[] {
  if (inputs.items !== undefined) {
    if (!Array.isArray(inputs.items)) return [inputs.items];
    return inputs.items.map((item) => (typeof item === 'string' && isPathExpression(item) && /\.(outputs|inputs)\b|^init_params\./.test(item) ? ctx.resolve(item) : item));
  }
  if (inputs.item !== undefined) return [inputs.item];
  throw new PermanentStepError("give 'item' or 'items' (or their _path forms) to judge");
}

function rangeOf(inputs: Json): { min: unknown; max: unknown } {
  const range = (inputs.score_range ?? inputs.scale_range ?? { min: 1, max: 10 }) as Json;
  if (typeof range !== 'object' || range === null) throw new PermanentStepError('score_range must be {min, max}');
  return { min: range.min, max: range.max };
}

function categoriesOf(inputs: Json): string[] {
  const given = inputs.categories;
  if (Array.isArray(given) && given.length > 0) return given.map(asText);
  // In categorical mode a range's values are labels, not numbers.
  const { min, max } = rangeOf(inputs);
  if (min !== undefined && max !== undefined) return [asText(min), asText(max)];
  throw new PermanentStepError("a categorical judge needs 'categories'");
}

export const simpleJudge: StepTemplate = {
  activity_name: 'simple_judge',
  category: 'evaluation',
  description: 'Judges an item (or items) against an instruction with a model: a numeric score in score_range, or one of `categories`.',
  parameters: [
    ...CHAT_PARAMETERS,
    { name: 'instruction', type: 'string', required: true, description: 'What to judge.' },
    { name: 'item', type: 'any', required: true, alternatives: ['items'], description: 'The item to judge (or items: several, paths allowed).' },
    { name: 'score_range', type: 'object', description: '{min, max} for a numeric score (default 1–10); also scale_range.' },
    { name: 'judge_type', type: 'string', description: '"numeric" (default) or "categorical".' },
    { name: 'categories', type: 'array', description: 'The labels a categorical judge picks from.' },
    { name: 'explanation_required', type: 'boolean', description: 'Ask for an explanation (default true); also with_explanation.' },
  ],
  outputs: ['score', 'category', 'explanation', 'usage', 'call_id'],
  timeoutMs: 10 * 60_000,
  async run(inputs, ctx) {
    const items = itemsOf(inputs, ctx);
    const categorical = optionalText(inputs, 'judge_type') === 'categorical';
    const explain = bool(inputs, inputs.with_explanation !== undefined ? 'with_explanation' : 'explanation_required', true);
    const listed = items.map((item, i) => `<item index="${i + 1}">\n${asText(item)}\n</item>`).join('\n');
    let verdict: Json;
    let ask: string;
    if (categorical) {
      const categories = categoriesOf(inputs);
      verdict = { category: { type: 'string', enum: categories } };
      ask = `Answer with one category of: ${categories.join(', ')}.`;
    } else {
      const { min, max } = rangeOf(inputs);
      if (typeof min !== 'number' || typeof max !== 'number' || min >= max) throw new PermanentStepError('score_range needs numbers with min < max');
      verdict = { score: { type: 'number', minimum: min, maximum: max } };
      ask = `Answer with a score from ${min} to ${max}.`;
    }
    const properties = { ...verdict, ...(explain ? { explanation: { type: 'string' } } : {}) };
    const schema = { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
    const prompt = `${text(inputs, 'instruction')}\n\n${listed}\n\n${ask}${explain ? ' Explain briefly.' : ''} Reply as JSON.`;
    const result = await chat(ctx, inputs, prompt, { response_format: { type: 'json_schema', json_schema: { name: 'judgement', schema, strict: true } } });
    const answer = result.outputs.json as Json;
    if (categorical && !(verdict.category as { enum: string[] }).enum.includes(answer.category as string)) {
      throw new PermanentStepError(`the judge answered category ${JSON.stringify(answer.category)}, not one of the categories`);
    }
    if (!categorical && typeof answer.score !== 'number') throw new PermanentStepError(`the judge answered no numeric score: ${JSON.stringify(answer)}`);
    const outputs: Json = categorical ? { category: answer.category } : { score: answer.score };
    if (explain) outputs.explanation = answer.explanation ?? null;
    return { outputs: { ...outputs, usage: result.usage, call_id: result.outputs.call_id, model: result.outputs.model }, usage: result.usage };
  },
};
