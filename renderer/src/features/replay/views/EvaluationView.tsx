import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** The run's validation report, counted. */
export function EvaluationView({ payload: p }: { payload: EventPayload<'evaluation'> }) {
  const passed = p.overall_passed === undefined || p.overall_passed === null ? undefined : p.overall_passed ? 'yes' : 'no';
  return (
    <div className="evaluation-view">
      <Fields rows={[['passed', passed], ['pass', p.pass], ['partial', p.partial], ['fail', p.fail], ['missing outputs', p.missing_outputs?.join(', ')], ['note', p.message]]} />
    </div>
  );
}
