/**
 * What a root run and every run under it share, so that a workflow document cannot make the
 * engine start runs without end (a fan-out whose child is itself made 57,599 runs in 15 s):
 * how many children the tree has started and how much it has journaled (bounded per root),
 * and the slots its running children hold (bounded per root and, over every root, per engine).
 */
import { StepBoundError } from './bounds';
import type { WorkflowLimits } from './limits';

const count = (n: number) => n.toLocaleString('en-US');

/** A first-come-first-served count of slots; a wait ends (rejecting) when its signal aborts. */
export class Slots {
  #free: number;
  readonly #waiting: { resolve: () => void; reject: (reason: unknown) => void; signal: AbortSignal; onAbort: () => void }[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0 && this.#waiting.length === 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  release(): void {
    const next = this.#waiting.shift();
    if (!next) {
      this.#free++;
      return;
    }
    next.signal.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}

/**
 * The slots one running child holds: its tree's and the engine's. A child that waits on
 * children of its own gives them back meanwhile (and takes them again after), so nested
 * fan-outs never hold every slot while waiting for one.
 */
export class Lease {
  #held = false;

  constructor(
    readonly tree: Slots,
    readonly engine: Slots,
  ) {}

  async take(signal: AbortSignal): Promise<void> {
    await this.tree.acquire(signal);
    try {
      await this.engine.acquire(signal);
    } catch (error) {
      this.tree.release();
      throw error;
    }
    this.#held = true;
  }

  give(): void {
    if (!this.#held) return;
    this.#held = false;
    this.engine.release();
    this.tree.release();
  }
}

/** The counts of one root run's tree (started from what its journal holds when the root is followed, e.g. on resume). */
export class RunTree {
  readonly slots: Slots;
  #children: number;
  #journalChars: number;

  constructor(
    readonly limits: Readonly<WorkflowLimits>,
    journaled: { children: number; chars: number },
  ) {
    this.slots = new Slots(limits.liveChildrenPerRoot);
    this.#children = journaled.children;
    this.#journalChars = journaled.chars;
  }

  /** Counts `n` more children; StepBoundError (nothing counted) when the tree would pass its bound. */
  addChildren(n: number): void {
    if (this.#children + n > this.limits.childrenPerRoot) {
      throw new StepBoundError(
        `it would start ${count(n)} child workflows; with the ${count(this.#children)} its workflow tree has started that passes the bound of ${count(this.limits.childrenPerRoot)} per root run`,
      );
    }
    this.#children += n;
  }

  /** Counts `chars` more journal characters (`what` adds them); StepBoundError when the tree would pass its bound. */
  addJournal(chars: number, what: string): void {
    if (this.#journalChars + chars > this.limits.treeJournalChars) {
      throw new StepBoundError(
        `${what} would bring the journal of its workflow tree to ${count(this.#journalChars + chars)} characters, past the bound of ${count(this.limits.treeJournalChars)} per root run`,
      );
    }
    this.#journalChars += chars;
  }
}

/** A run being followed: its tree, how deep under its root it is, the tasks from the root down to it, and (a child) the slots it holds. */
export interface RunNode {
  tree: RunTree;
  depth: number;
  chain: readonly string[];
  lease: Lease | null;
}
