import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { linkedSignal } from './linked-signal';

describe('linkedSignal', () => {
  afterEach(() => vi.useRealTimers());

  it('aborts with a parent, with the parent’s reason, and when asked', () => {
    const parent = new AbortController();
    const linked = linkedSignal([undefined, parent.signal]);
    expect(linked.signal.aborted).toBe(false);
    parent.abort('cancelled');
    expect(linked.signal.reason).toBe('cancelled');

    const own = linkedSignal([new AbortController().signal]);
    own.abort('mine');
    expect(own.signal.reason).toBe('mine');
  });

  it('starts aborted under a parent that already is', () => {
    expect(linkedSignal([AbortSignal.abort('gone')]).signal.reason).toBe('gone');
  });

  it('times out with a TimeoutError that says what took too long', () => {
    vi.useFakeTimers();
    const linked = linkedSignal([], { ms: 1000, message: 'the answer took too long' });
    vi.advanceTimersByTime(999);
    expect(linked.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(linked.signal.reason).toMatchObject({ name: 'TimeoutError', message: 'the answer took too long' });
  });

  it('lets go of its parents and its timer once disposed: a long-lived parent keeps nothing of finished work', () => {
    vi.useFakeTimers();
    const run = new AbortController();
    const linked = Array.from({ length: 1000 }, () => linkedSignal([run.signal], { ms: 60_000, message: 'slow' }));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1000);
    expect(vi.getTimerCount()).toBe(1000);
    for (const l of linked) l.dispose();
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    run.abort('late');
    expect(linked.every((l) => !l.signal.aborted)).toBe(true);
  });
});
