import type { NewTrajectoryEvent } from '../../../shared/trajectory';

/**
 * A run's phases, each timed as a `progress` event (`payload.step` the phase,
 * `duration_ms` its time) in the run's step, so the replay and the benches show where a
 * run's time went: the image check, adopting a warm sandbox or creating one, the run's files
 * going in, the agent's start up to its first model call, that call, the results coming out
 * and the evaluation.
 */
export type RunPhase = 'image' | 'adopt' | 'create' | 'files_in' | 'agent_start' | 'first_model_call' | 'collect' | 'evaluate';

const WHAT: Record<RunPhase, string> = {
  image: 'image checked',
  adopt: 'warm sandbox adopted',
  create: 'sandbox created and started',
  files_in: "run's files in",
  agent_start: 'agent started (to its first model call)',
  first_model_call: 'first model call answered',
  collect: 'results copied out',
  evaluate: 'evaluation read',
};

/**
 * `startHold` is released once the run is past its start (its first model call answered)
 * or has ended: a warm pool waits for that before it makes a container.
 */
export function createRunPhases(recorder: { record(event: NewTrajectoryEvent): void }, startHold: () => void) {
  let agentStartedAt: number | null = null;
  let firstCall = false;

  const done = (phase: RunPhase, step: string, ms: number, detail?: string) => {
    const duration = Math.round(ms);
    recorder.record({ type: 'progress', level: 'info', step, payload: { message: `${WHAT[phase]} in ${duration} ms${detail ? ` (${detail})` : ''}`, step: phase, status: 'completed', duration_ms: duration } });
  };

  return {
    done,
    /** Runs `work`, recording its time as `phase` once it succeeds. */
    async time<T>(phase: RunPhase, step: string, work: () => Promise<T>): Promise<T> {
      const started = performance.now();
      const result = await work();
      done(phase, step, performance.now() - started);
      return result;
    },
    agentStarted(): void {
      agentStartedAt = performance.now();
      firstCall = false;
    },
    /** A model call ended after `latencyMs`: the first one times the agent's start and itself. */
    modelCall(latencyMs: number | null | undefined): void {
      if (firstCall || agentStartedAt === null) return;
      firstCall = true;
      const latency = latencyMs ?? 0;
      done('agent_start', 'agent', Math.max(0, performance.now() - latency - agentStartedAt));
      done('first_model_call', 'agent', latency);
      startHold();
    },
    ended(): void {
      startHold();
    },
  };
}
