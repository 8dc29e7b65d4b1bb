import { evaluatePath, parsePath } from '../paths';
import { asText, bool, list } from './params';
import { PermanentStepError, type StepTemplate } from './types';

export const extractFromTrajectories: StepTemplate = {
  activity_name: 'extract_from_trajectories',
  category: 'control',
  description: 'Reads path expressions (e.g. analysis.outputs.summary) out of each child trajectory (fan-in).',
  parameters: [
    { name: 'trajectory_ids', type: 'array', required: true, description: 'The trajectories (usually trajectory_ids_path).' },
    { name: 'extract_paths', type: 'array', required: true, description: 'Paths inside each trajectory; one path gives a value per trajectory, several an object keyed by path.' },
    { name: 'flatten_results', type: 'boolean', description: 'Concatenate array results into one list (default false).' },
  ],
  outputs: ['extracted_data'],
  instant: true,
  run(inputs, ctx) {
    const ids = list(inputs, 'trajectory_ids').map(asText);
    const paths = (Array.isArray(inputs.extract_paths) ? inputs.extract_paths : [inputs.extract_paths]).map((p) => parsePath(asText(p)));
    // Each value is counted as it is read: the same large output read from many trajectories stops at the output bound.
    const budget = ctx.outputBudget();
    const rows = ids.map((id) => {
      const t = ctx.trajectory(id);
      if (!t) throw new PermanentStepError(`no trajectory '${id}'`);
      const values = paths.map((p) => {
        const r = evaluatePath(p, { init_params: t.init_params, steps: t.steps });
        budget.measure(r.found ? r.value : null, `${id}: ${p.text}`);
        return r.found ? r.value : null;
      });
      return paths.length === 1 ? values[0] : Object.fromEntries(paths.map((p, i) => [p.text, values[i]]));
    });
    const extracted = bool(inputs, 'flatten_results', false) ? rows.flatMap((r) => (Array.isArray(r) ? r : [r])) : rows;
    return { outputs: { extracted_data: extracted, count: extracted.length } };
  },
};
