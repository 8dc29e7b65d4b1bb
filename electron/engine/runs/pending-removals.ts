/**
 * Container removals still going on after their runs ended (a run's end does not wait for
 * its container to go), tracked so the runner's close can wait for them.
 */
export function createPendingRemovals() {
  const pending = new Set<Promise<void>>();
  return {
    /** Follows one removal; one that fails leaves its container to the start-up clean-up of orphans. */
    track(removal: Promise<void>): void {
      const tracked: Promise<void> = removal.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    /** Resolves when every removal tracked so far has ended. */
    async settled(): Promise<void> {
      await Promise.all(pending);
    },
  };
}
