/**
 * Migration 10: a run's evaluation verdict, apart from its status, filtered and sorted by an
 * index. `evaluation_verdict` is a virtual column computed from `evaluation` as
 * `evaluationVerdict` (shared/evaluation.ts) computes it: `failed` when a required output
 * file is missing or `overall_passed` is false, `passed` when it is true, else `none`
 * (which also sorts them: failed < none < passed). Runs stored before a missing required
 * output failed the evaluation (their evaluate step listed the files) are brought in line:
 * their evaluation gets `missing_outputs` and `overall_passed` false (one without a report
 * gets one of those files alone).
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
ALTER TABLE trajectories ADD COLUMN evaluation_verdict TEXT GENERATED ALWAYS AS (
  CASE
    WHEN evaluation IS NULL THEN 'none'
    WHEN coalesce(json_array_length(evaluation, '$.missing_outputs'), 0) > 0 THEN 'failed'
    WHEN json_extract(evaluation, '$.overall_passed') = 1 THEN 'passed'
    WHEN json_extract(evaluation, '$.overall_passed') = 0 THEN 'failed'
    ELSE 'none'
  END
) VIRTUAL;
CREATE INDEX trajectories_by_verdict ON trajectories (evaluation_verdict, created_at);

UPDATE trajectories
SET evaluation = json_set(
  coalesce(evaluation, '{"pass":0,"partial":0,"fail":0}'),
  '$.overall_passed', json('false'),
  '$.missing_outputs', json(json_extract(s.outputs, '$.missing_outputs'))
)
FROM steps s
WHERE s.trajectory_id = trajectories.id AND s.name = 'evaluate'
  AND coalesce(json_array_length(s.outputs, '$.missing_outputs'), 0) > 0;
`;
