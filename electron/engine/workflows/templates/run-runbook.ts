import { childTrajectoryId } from '../../store/workflow-journal';
import { asText, num, object, optionalText } from './params';
import { PermanentStepError, type StepContext, type StepTemplate } from './types';

/**
 * The run's trajectory id: the one the interrupted attempt journaled (adopted), else one
 * derived from (workflow, step, attempt), journaled before the run starts.
 */
function runTrajectoryId(ctx: StepContext): { trajectoryId: string; adopt: boolean } {
  const journaled = ctx.interrupted?.trajectory_id;
  if (typeof journaled === 'string') return { trajectoryId: journaled, adopt: true };
  let trajectoryId = childTrajectoryId({ id: ctx.workflowId, step: ctx.step, index: ctx.attempt });
  for (let salt = 1; ctx.trajectory(trajectoryId); salt++) trajectoryId = childTrajectoryId({ id: ctx.workflowId, step: ctx.step, index: ctx.attempt }, salt);
  ctx.checkpoint({ trajectory_id: trajectoryId });
  return { trajectoryId, adopt: false };
}

export const runRunbook: StepTemplate = {
  activity_name: 'run_runbook',
  category: 'runbook',
  description: 'Runs a runbook in its own sandbox as a step: inputs become its parameters; outputs are its artifacts and evaluation.',
  parameters: [
    { name: 'runbook', type: 'string', required: true, alternatives: ['task'], description: 'Path of a RUNBOOK.md (or task: "collection/task" of an opened folder).' },
    { name: 'parameters', type: 'object', description: "The runbook's parameters (*_path keys allowed inside)." },
    { name: 'model', type: 'string', description: "The agent's model." },
    { name: 'agent', type: 'string', description: 'Agent runtime (default: the runbook’s).' },
    { name: 'image', type: 'string', description: 'A sandbox image instead of the runbook’s snapshot.' },
    { name: 'run_timeout', type: 'number', description: 'Seconds the run may take (default 30 minutes).' },
  ],
  outputs: ['trajectory_id', 'status', 'artifacts', 'evaluation', 'passed'],
  timeoutMs: 2 * 60 * 60_000,
  async run(inputs, ctx) {
    const runbook = optionalText(inputs, 'runbook') ?? null;
    const task = optionalText(inputs, 'task') ?? null;
    if (!runbook && !task) throw new PermanentStepError("give 'runbook' (a RUNBOOK.md path) or 'task' (collection/task)");
    const parameters = Object.fromEntries(Object.entries(object(inputs, 'parameters')).map(([k, v]) => [k, asText(v)]));
    const outputs = await ctx.runRunbook({
      runbook,
      task,
      parameters,
      model: optionalText(inputs, 'model'),
      agent: optionalText(inputs, 'agent'),
      image: optionalText(inputs, 'image'),
      timeoutMs: inputs.run_timeout === undefined ? undefined : num(inputs, 'run_timeout', 1800, { min: 1 }) * 1000,
      ...runTrajectoryId(ctx),
    });
    return { outputs };
  },
};
