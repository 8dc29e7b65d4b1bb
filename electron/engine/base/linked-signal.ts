/**
 * A signal for one piece of work: it aborts when asked, when a parent does (with the
 * parent's reason) or, given a time limit, after it (a DOMException named TimeoutError), and `dispose()` lets
 * go of everything it holds: the timer is cleared and its listeners leave the parents.
 *
 * Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: that leaves the composite
 * registered with its parent and the timeout's timer running for its whole length after the
 * work has ended, so what the work's listeners hold lives as long as the longer of the two.
 */
export interface LinkedSignal {
  signal: AbortSignal;
  /** Aborts it (and only it) with a reason of its own. */
  abort(reason: unknown): void;
  /** Clears the timer and removes the listeners on the parents; call it once the work has ended. */
  dispose(): void;
}

export function linkedSignal(parents: readonly (AbortSignal | undefined)[], timeout?: { ms: number; message: string }): LinkedSignal {
  const controller = new AbortController();
  const linked = parents.filter((parent): parent is AbortSignal => parent !== undefined);
  const forwards = linked.map((parent) => {
    const forward = () => controller.abort(parent.reason);
    if (parent.aborted) forward();
    else parent.addEventListener('abort', forward, { once: true });
    return forward;
  });
  const timer = timeout ? setTimeout(() => controller.abort(new DOMException(timeout.message, 'TimeoutError')), timeout.ms) : undefined;
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose() {
      clearTimeout(timer);
      linked.forEach((parent, i) => parent.removeEventListener('abort', forwards[i]));
    },
  };
}
