/**
 * The warm pool: per pool key (image, limits, network: `pool-key.ts`), up to `size()`
 * containers made and started ahead of any run, parked (`sleep infinity`, nothing of any run
 * in them) until a run adopts one. Adoption is one-way: a container a run touched is never
 * parked again, it is removed when the run ends. The pool keeps warm what runs used lately:
 * a key is warmed once a run asks for it, refilled after each adoption — one container at a
 * time, only while no run is starting (`hold`) and once runs leave Docker alone for a moment
 * (`idle`), so a refill never competes with a run's own work for the daemon and the CPU —
 * and dropped when no run asked for it for `idleMs`. `size()` is read
 * at each decision, so a change of setting takes effect at once (`resize`); 0 turns it off.
 */
import { poolKey, type PoolSpec } from './pool-key';

/** A container the pool made and started; `imageId` is the image it runs, checked at adoption. */
export interface Parked {
  id: string;
  imageId: string;
  key: string;
}

export interface WarmPoolDeps<P extends Parked> {
  /** How many containers to keep warm per key (the setting); 0: none. */
  size(): number;
  /** Makes and starts one parked container of `spec` (and the gateway's relay in it for network 'gateway'). */
  park(spec: PoolSpec, key: string): Promise<P>;
  /** Removes a parked container (in the background: never on a run's path). */
  remove(parked: P): Promise<void>;
  /** Resolves when runs leave Docker alone for a moment (see `activity.ts`): each container is made only then. */
  idle?(signal: AbortSignal): Promise<void>;
  /** A key nobody asked for in this long is dropped with its containers (default 10 minutes). */
  idleMs?: number;
  /** After a failed park, the next try of that key waits this long, doubling (default 1 s, at most 60 s); 5 failures in a row drop the key. */
  retryMs?: number;
  /** What went wrong in the background (a park that failed), for the log. */
  onError?(message: string): void;
  /** The parked containers changed (one parked, taken, dropped): `status()` says what is parked now. */
  onChange?(): void;
}

export interface PoolStatus {
  size: number;
  /** Parked containers per image (and network), those being made included in `warming`. */
  parked: { image: string; network: string; count: number }[];
  warming: boolean;
}

interface KeyState {
  spec: PoolSpec;
  parked: Parked[];
  /** Primed containers not taken yet: kept whatever the size (see `prime`). */
  pinned: number;
  lastWanted: number;
  failures: number;
  /** Not before this time (after a failure). */
  notBefore: number;
}

const MAX_FAILURES = 5;
const MAX_RETRY_MS = 60_000;

export function createWarmPool<P extends Parked>(deps: WarmPoolDeps<P>) {
  const idleMs = deps.idleMs ?? 10 * 60_000;
  const retryMs = deps.retryMs ?? 1000;
  const keys = new Map<string, KeyState>();
  let holds = 0;
  let wake: (() => void) | null = null;
  let filling: Promise<void> | null = null;
  let closed = false;
  /** Aborted by close: a refill waiting for Docker to be quiet stops waiting (the wait holds no timer that keeps the process alive). */
  const closing = new AbortController();
  let retryTimer: NodeJS.Timeout | undefined;
  const removals = new Set<Promise<void>>();
  /** Primes under way, by key. */
  const priming = new Map<string, Promise<void>>();

  const size = () => (closed ? 0 : Math.max(0, Math.floor(deps.size())));
  const nudge = () => {
    wake?.();
    wake = null;
  };

  function discard(parked: Parked): void {
    const removal = deps.remove(parked as P).catch(() => undefined);
    removals.add(removal);
    void removal.finally(() => removals.delete(removal));
  }

  /** The key that most needs a container now (soonest due, fewest parked), or null; and how long until one is due. */
  function next(now: number): { key: string; state: KeyState } | { waitMs: number } | null {
    let best: { key: string; state: KeyState } | null = null;
    let waitMs = Infinity;
    for (const [key, state] of keys) {
      if (state.parked.length >= size()) continue;
      if (state.notBefore > now) {
        waitMs = Math.min(waitMs, state.notBefore - now);
        continue;
      }
      if (!best || state.parked.length < best.state.parked.length) best = { key, state };
    }
    return best ?? (waitMs < Infinity ? { waitMs } : null);
  }

  /** Parks containers, one at a time, while some key is short and no run is starting. */
  async function fill(): Promise<void> {
    while (!closed) {
      if (holds > 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const now = Date.now();
      const due = next(now);
      if (!due) return;
      if ('waitMs' in due) {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => kick(), due.waitMs);
        retryTimer.unref();
        return;
      }
      const { key, state } = due;
      if (deps.idle) {
        await deps.idle(closing.signal);
        // A run may have started meanwhile (its start goes first), or a key been dropped.
        if (closed || holds > 0 || keys.get(key) !== state) continue;
      }
      try {
        const parked = await deps.park(state.spec, key);
        state.failures = 0;
        // Dropped, shrunk or closed meanwhile: not wanted after all.
        if (closed || keys.get(key) !== state || state.parked.length >= size()) discard(parked);
        else {
          state.parked.push(parked);
          deps.onChange?.();
        }
      } catch (error) {
        state.failures += 1;
        state.notBefore = Date.now() + Math.min(retryMs * 2 ** (state.failures - 1), MAX_RETRY_MS);
        const reason = error instanceof Error ? error.message : String(error);
        if (state.failures >= MAX_FAILURES) {
          keys.delete(key);
          deps.onError?.(`the warm pool stops keeping ${state.spec.image} warm after ${state.failures} failures: ${reason}`);
        } else {
          deps.onError?.(`the warm pool could not start a container of ${state.spec.image}: ${reason}`);
        }
      }
      // Whatever the event loop holds (a run's next step) goes before the next container.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function kick(): void {
    if (closed || filling) return;
    filling = fill().finally(() => {
      filling = null;
    });
  }

  /** Drops keys nobody asked for lately, and containers over the size (primed ones are kept until taken). */
  function shrink(): void {
    const now = Date.now();
    for (const [key, state] of keys) {
      const keep = now - state.lastWanted > idleMs ? 0 : size();
      if (keep === 0 && state.pinned === 0) keys.delete(key);
      const dropped = state.parked.splice(Math.max(keep, state.pinned));
      dropped.forEach(discard);
      if (dropped.length > 0) deps.onChange?.();
    }
  }

  function stateOf(spec: PoolSpec): { key: string; state: KeyState } {
    const key = poolKey(spec);
    const state = keys.get(key) ?? { spec, parked: [], pinned: 0, lastWanted: 0, failures: 0, notBefore: 0 };
    keys.set(key, state);
    return { key, state };
  }
  const shrinkTimer = setInterval(shrink, Math.max(1000, Math.min(idleMs / 2, 60_000)));
  shrinkTimer.unref();

  return {
    /**
     * Takes a parked container of `spec` for a run, one-way (null when there is none running
     * `imageId`); parked containers of an older image of the same name are removed.
     */
    take(spec: PoolSpec, imageId: string): P | null {
      const state = keys.get(poolKey(spec));
      if (!state) return null;
      const before = state.parked.length;
      let taken: P | null = null;
      while (state.parked.length > 0 && !taken) {
        const parked = state.parked.shift()!;
        state.pinned = Math.max(0, state.pinned - 1);
        if (parked.imageId === imageId) taken = parked as P;
        else discard(parked);
      }
      if (state.parked.length !== before) deps.onChange?.();
      return taken;
    },

    /** A run asked for `spec`: keep it warm (refilled once no run is starting). */
    want(spec: PoolSpec): void {
      if (size() === 0) return;
      stateOf(spec).state.lastWanted = Date.now();
      kick();
    },

    /**
     * Starts one container of `spec` now, whatever the size and whether a run is starting:
     * for a run about to ask for it (a one-shot `jetty run` warms its own run's container
     * while it loads the rest). Kept until taken or closed; `ready` waits for it.
     */
    prime(spec: PoolSpec): void {
      if (closed) return;
      const { key, state } = stateOf(spec);
      state.lastWanted = Date.now();
      state.pinned += 1;
      const primed = deps.park(spec, key).then(
        (parked) => {
          if (closed || keys.get(key) !== state) return discard(parked);
          state.parked.push(parked);
          deps.onChange?.();
        },
        (error: unknown) => {
          state.pinned = Math.max(0, state.pinned - 1);
          deps.onError?.(`could not start a container of ${spec.image} ahead of its run: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
      priming.set(key, primed);
      void primed.finally(() => priming.get(key) === primed && priming.delete(key));
    },

    /** Resolves once a container primed for `spec` is parked (or failed); at once when none is being primed. */
    async ready(spec: PoolSpec): Promise<void> {
      await priming.get(poolKey(spec));
    },

    /**
     * A run is starting: no container is made until every hold is released (idempotent), or
     * `maxMs` passed (a run stuck before its first model call does not keep the pool empty).
     */
    hold(maxMs = 15_000): () => void {
      holds += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        holds -= 1;
        if (holds === 0) nudge();
      };
      const timer = setTimeout(release, maxMs);
      timer.unref();
      return release;
    },

    /** Docker says this container died or went: it is no longer parked (and made again). */
    gone(id: string): void {
      for (const state of keys.values()) {
        const at = state.parked.findIndex((p) => p.id === id);
        if (at < 0) continue;
        const [parked] = state.parked.splice(at, 1);
        discard(parked);
        deps.onChange?.();
        kick();
      }
    },

    /** Keeps only the parked containers Docker still runs (after losing sight of Docker for a while). */
    reconcile(running: Set<string>): void {
      for (const state of keys.values()) {
        for (const parked of state.parked.filter((p) => !running.has(p.id))) this.gone(parked.id);
      }
      kick();
    },

    /** Applies a changed size now: over it, parked containers are removed; under it, refilled. */
    resize(): void {
      shrink();
      kick();
    },

    status(): PoolStatus {
      const parked = [...keys.values()].map((s) => ({ image: s.spec.image, network: String(s.spec.network), count: s.parked.length }));
      return { size: size(), parked, warming: filling !== null };
    },

    /** Stops warming and removes every parked container. */
    async close(): Promise<void> {
      closed = true;
      closing.abort();
      clearInterval(shrinkTimer);
      clearTimeout(retryTimer);
      nudge();
      await Promise.all([filling, ...priming.values()]);
      for (const state of keys.values()) state.parked.splice(0).forEach(discard);
      keys.clear();
      await Promise.all(removals);
    },
  };
}

export type WarmPool<P extends Parked = Parked> = ReturnType<typeof createWarmPool<P>>;
