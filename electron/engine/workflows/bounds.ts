import { PermanentStepError } from './templates/types';

/** A step stopped by one of the engine's bounds (limits.ts): the message names the bound and the size reached. */
export class StepBoundError extends PermanentStepError {
  constructor(message: string) {
    super(message);
    this.name = 'StepBoundError';
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A running count of the JSON characters (and filled `{{ }}` references) something is
 * building, checked as it grows: whatever builds a step's inputs or outputs adds to it
 * piece by piece, and the first piece past the bound throws StepBoundError, before the
 * oversized value exists. `what` names the thing in the message ("its resolved inputs").
 */
export class Budget {
  #chars = 0;
  #expansions = 0;

  constructor(
    readonly what: string,
    readonly maxChars: number,
    readonly maxExpansions = Infinity,
  ) {}

  get chars(): number {
    return this.#chars;
  }

  /** Counts `n` more characters (`at`: where they come from, for the message). */
  add(n: number, at?: string): void {
    this.#chars += n;
    if (this.#chars > this.maxChars) {
      throw new StepBoundError(`${this.what} pass the bound of ${count(this.maxChars)} characters: ${count(this.#chars)} reached${at ? ` at ${at}` : ''}`);
    }
  }

  /** Counts one more filled reference. */
  expansion(at: string): void {
    if (++this.#expansions > this.maxExpansions) {
      throw new StepBoundError(`${this.what} fill more than ${count(this.maxExpansions)} {{ }} references (the bound), the last at ${at}; ${count(this.#chars)} characters so far`);
    }
  }

  /**
   * Counts a value's JSON characters (strings without their escapes), walking no further
   * than the bound: a value far over it costs the walk up to the bound, not its whole size.
   */
  measure(value: unknown, at?: string): void {
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const v = stack.pop();
      if (typeof v === 'string') this.add(v.length + 2, at);
      else if (typeof v === 'number' || typeof v === 'bigint') this.add(String(v).length, at);
      else if (typeof v === 'boolean') this.add(v ? 4 : 5, at);
      else if (v === null) this.add(4, at);
      else if (Array.isArray(v)) {
        this.add(v.length + 1, at);
        for (let i = v.length - 1; i >= 0; i--) stack.push(v[i] === undefined ? null : v[i]);
      } else if (typeof v === 'object') {
        const keys = Object.keys(v);
        this.add(keys.length + 1, at);
        for (const key of keys) {
          const item = (v as Record<string, unknown>)[key];
          if (item === undefined || typeof item === 'function') continue;
          this.add(key.length + 3, at);
          stack.push(item);
        }
      }
    }
  }
}
