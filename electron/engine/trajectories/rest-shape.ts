import { evaluationVerdict } from '../../../shared/evaluation';
import type { Trajectory } from '../../../shared/trajectory';

/**
 * A trajectory as the Jetty API answers it (REST, webhooks): the cloud names the id
 * `trajectory_id` (both are given), and `evaluation_verdict` (passed, failed or none) says
 * the evaluation apart from the status.
 */
export const withTrajectoryId = (t: Trajectory) => ({ trajectory_id: t.id, ...t, evaluation_verdict: evaluationVerdict(t.evaluation) });
