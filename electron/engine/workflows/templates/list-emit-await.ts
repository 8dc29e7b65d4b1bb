import { bool, list, num, object, text } from './params';
import { PermanentStepError, type StepTemplate } from './types';

/** `collection/task` split, refusing anything else. */
export function childTask(name: string): { collection: string; task: string } {
  const parts = name.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new PermanentStepError(`child_workflow_name must be "collection/task", got '${name}'`);
  return { collection: parts[0], task: parts[1] };
}

export const listEmitAwait: StepTemplate = {
  activity_name: 'list_emit_await',
  category: 'control',
  description: 'Starts one child workflow (collection/task) per item, at most max_concurrency at a time, and waits for all.',
  parameters: [
    { name: 'items', type: 'array', required: true, description: 'The items (usually items_path).' },
    { name: 'child_workflow_name', type: 'string', required: true, description: '"collection/task" of a workflow task.' },
    { name: 'item_param_name', type: 'string', description: "The child's init param that receives the item (default 'item')." },
    { name: 'max_concurrency', type: 'integer', description: 'Children running at once (default 4).' },
    { name: 'additional_params', type: 'object', description: 'More init params for every child (*_path keys allowed inside).' },
    { name: 'continue_on_error', type: 'boolean', description: 'Finish the step even when children fail (default false).' },
  ],
  outputs: ['trajectory_ids', 'statuses', 'failed_count'],
  timeoutMs: 6 * 60 * 60_000,
  async run(inputs, ctx) {
    const { collection, task } = childTask(text(inputs, 'child_workflow_name'));
    const continueOnError = bool(inputs, 'continue_on_error', false);
    const outcomes = await ctx.fanOut({
      items: list(inputs, 'items'),
      collection,
      task,
      itemParamName: text(inputs, 'item_param_name', 'item'),
      additionalParams: object(inputs, 'additional_params'),
      maxConcurrency: num(inputs, 'max_concurrency', 4, { min: 1, integer: true }),
      continueOnError,
    });
    const failed = outcomes.filter((o) => o.status !== 'completed');
    if (failed.length > 0 && !continueOnError) {
      throw new PermanentStepError(`${failed.length} of ${outcomes.length} child workflows did not complete; first: ${failed[0].trajectory_id} ${failed[0].status}: ${failed[0].error ?? ''}`);
    }
    return { outputs: { trajectory_ids: outcomes.map((o) => o.trajectory_id), statuses: outcomes.map((o) => o.status), failed_count: failed.length } };
  },
};
