import { evaluationVerdict } from '../../shared/evaluation';
import type { Trajectory } from '../../shared/trajectory';

/**
 * `jetty run`'s exit codes. A run that completed but whose evaluation failed (its
 * validation_report.json says overall_passed false, or a required output file is missing) is
 * 4: not 0, so CI stops on it; not 1, which stays "the run itself failed" (agent error,
 * timeout, sandbox), so a script can tell a bad result from a broken run; and not 3, which
 * every command that talks to the remote already uses for "signed out or token refused"
 * (`jetty run --remote` among them), so each code means one thing across the CLI. 2 is bad
 * usage, as for every command; 130 is the shell's code for Ctrl-C.
 */
export const RUN_EXIT = { completed: 0, failed: 1, evaluationFailed: 4, cancelled: 130 } as const;

/** The help text's line for the codes above. */
export const RUN_EXIT_HELP = `Exit codes: 0 completed (its evaluation passed, or it has none), 1 failed, 2 bad usage,
4 completed but its evaluation failed (validation_report.json says overall_passed false, or a
required output file is missing), 130 cancelled (Ctrl-C removes the container).`;

export function runExitCode(t: Pick<Trajectory, 'status' | 'evaluation'>): number {
  if (t.status === 'cancelled') return RUN_EXIT.cancelled;
  if (t.status !== 'completed') return RUN_EXIT.failed;
  return evaluationVerdict(t.evaluation) === 'failed' ? RUN_EXIT.evaluationFailed : RUN_EXIT.completed;
}
