import { evaluationLine, evaluationVerdict } from '../../shared/evaluation';
import type { Trajectory, TrajectoryEvent } from '../../shared/trajectory';
import { formatEvent } from './format-event';
import { RUN_EXIT, runExitCode } from './run-exit';

function describeResult(t: Trajectory, seconds: number): string {
  const tokens = t.usage ? `${t.usage.total_tokens} tokens` : '';
  return [`${t.status} in ${seconds.toFixed(1)} s`, `evaluation: ${evaluationLine(t.evaluation)}`, `${t.artifacts.length} artifact(s)`, tokens, t.error ? `error: ${t.error}` : '']
    .filter(Boolean)
    .join(' — ');
}

/**
 * What `jetty run` prints, the same whether the run goes on in this process or in a running
 * `jetty serve`: its id (once, with its first event), each event (a line of text, or JSON
 * with `--json`), its refusal, and its end with the exit code it gives.
 */
export function createRunOutput(options: { json: boolean; startedAt: number }) {
  const { json, startedAt } = options;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let announced = false;
  const announce = (id: string) => {
    if (announced) return;
    announced = true;
    print(json ? JSON.stringify({ type: 'trajectory', id }) : `Trajectory ${id}`);
  };
  return {
    json,
    print,
    announce,
    event(id: string, event: TrajectoryEvent): void {
      announce(id);
      print(json ? JSON.stringify({ trajectory_id: id, ...event }) : formatEvent(event, startedAt));
    },
    /** A run its plan refused (exit 1), with how to pass a missing secret. */
    refused(message: string, problems: readonly string[]): number {
      const secretHint = problems.some((p) => p.startsWith('missing required secret')) ? '\nPass each secret with --secret NAME, with NAME set in the environment.' : '';
      process.stderr.write(`jetty run: ${message}${secretHint}\n`);
      return RUN_EXIT.failed;
    },
    /** The run's end; its exit code. */
    result(t: Trajectory): number {
      const code = runExitCode(t);
      print(
        json
          ? JSON.stringify({ type: 'result', trajectory: t, evaluation_verdict: evaluationVerdict(t.evaluation), exit_code: code })
          : `Trajectory ${t.id}: ${describeResult(t, (Date.now() - startedAt) / 1000)}`,
      );
      if (code === RUN_EXIT.evaluationFailed && !json) process.stderr.write(`jetty run: the run completed, but its evaluation failed (exit ${code})\n`);
      return code;
    },
  };
}

export type RunOutput = ReturnType<typeof createRunOutput>;

/** Cancels on the first SIGINT/SIGTERM and quits at once on the second; the answer stops listening. */
export function cancelOnSignal(cancel: () => void, json: boolean): () => void {
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(RUN_EXIT.cancelled);
    if (!json) process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
