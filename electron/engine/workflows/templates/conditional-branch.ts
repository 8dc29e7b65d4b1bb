import { text } from './params';
import type { StepTemplate } from './types';

/** How a condition's value reads as a boolean: false, 0, '', 'false', 'no', '0', null, [] and {} are false. */
export function truthy(value: unknown): boolean {
  if (typeof value === 'string') return !['', 'false', 'no', '0', 'null'].includes(value.trim().toLowerCase());
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * Chooses what runs next: the run continues at `true_step` or `false_step` (both later in
 * `steps`); the steps it passes over, and the other target, are skipped.
 */
export const conditionalBranch: StepTemplate = {
  activity_name: 'conditional_branch',
  category: 'control',
  description: 'Continues the run at true_step or false_step by a condition (usually condition_path); the other branch is skipped.',
  parameters: [
    { name: 'condition', type: 'any', required: true, description: 'The value tested (false, 0, "", "false", "no", null, [] and {} are false).' },
    { name: 'true_step', type: 'string', required: true, description: 'Where the run continues when the condition holds.' },
    { name: 'false_step', type: 'string', required: true, description: 'Where it continues otherwise.' },
  ],
  outputs: ['branch', 'next_step', 'skipped_step'],
  instant: true,
  targets: (config) => [
    { key: 'true_step', step: config.true_step },
    { key: 'false_step', step: config.false_step },
  ],
  run(inputs) {
    const taken = truthy(inputs.condition);
    const next = text(inputs, taken ? 'true_step' : 'false_step');
    const other = text(inputs, taken ? 'false_step' : 'true_step');
    return { outputs: { branch: taken ? 'true' : 'false', next_step: next, skipped_step: other } };
  },
};
