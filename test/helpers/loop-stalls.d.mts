export interface StallSampler {
  /** The longest stretches so far, in ms: on the main thread's CPU (busy) and in wall-clock time (late). */
  read(): { busy: number; late: number };
  /** Starts over from now. */
  reset(): void;
  stop(): void;
}

export function stallSampler(options?: { intervalMs?: number; onLonger?: () => void }): StallSampler;
