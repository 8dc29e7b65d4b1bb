import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../../shared/trajectory';
import { openStore, type NewEvent } from './index';
import { aTrajectory, tempStore } from './temp-store.test-helper';

const log = (i: number): NewEvent => ({ level: 'info', type: 'log', step: null, payload: { message: String(i) } });
/** The number a `log(i)` event carries. */
const numberOf = (e: TrajectoryEvent) => (e.type === 'log' ? Number(e.payload.message) : NaN);

describe('EventWriter', () => {
  it('assigns strictly increasing seqs across batches and keeps them in order', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const writer = store.eventWriter(id, { maxBatch: 7, flushIntervalMs: 10_000 });
    const seqs = Array.from({ length: 100 }, (_, i) => writer.append(log(i)));
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(store.countEvents(id)).toBe(98); // 14 full batches of 7 are committed, 2 wait
    writer.flush();
    const events = store.listEvents(id, { limit: 1000 });
    expect(events.map((e) => e.seq)).toEqual(seqs);
    expect(events.map((e) => numberOf(e))).toEqual(seqs.map((s) => s - 1));
  });

  it('commits buffered events on flushEvents, and does nothing without an open writer', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    store.eventWriter(id, { flushIntervalMs: 10_000 }).append(log(0));
    expect(store.countEvents(id)).toBe(0);
    store.flushEvents(id);
    expect(store.listEvents(id).map((e) => e.seq)).toEqual([1]);
    const other = store.createTrajectory(aTrajectory()).id;
    store.flushEvents(other);
    expect(store.countEvents(other)).toBe(0);
  });

  it('flushes on its timer', async () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    store.eventWriter(id, { flushIntervalMs: 20 }).append(log(0));
    expect(store.countEvents(id)).toBe(0);
    await sleep(100);
    expect(store.countEvents(id)).toBe(1);
  });

  it('pages by afterSeq and limit', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const writer = store.eventWriter(id);
    for (let i = 0; i < 25; i++) writer.append(log(i));
    writer.flush();
    const seen: number[] = [];
    for (let after = 0, page; (page = store.listEvents(id, { afterSeq: after, limit: 10 })).length; ) {
      expect(page.length).toBeLessThanOrEqual(10);
      seen.push(...page.map((e) => e.seq));
      after = page.at(-1)!.seq;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(store.listEvents(id, { afterSeq: 20 }).map((e) => e.seq)).toEqual([21, 22, 23, 24, 25]);
    expect(() => store.listEvents(id, { limit: 0 })).toThrow(/limit an integer from 1 to 10000/);
    expect(() => store.listEvents('ffffffff')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('keeps events separate per trajectory and shares one writer per trajectory', () => {
    const { store } = tempStore();
    const a = store.createTrajectory(aTrajectory()).id;
    const b = store.createTrajectory(aTrajectory()).id;
    expect(store.eventWriter(a)).toBe(store.eventWriter(a));
    store.eventWriter(a).append(log(1));
    store.eventWriter(b).append(log(2));
    store.eventWriter(a).append(log(3));
    store.eventWriter(a).flush();
    store.eventWriter(b).flush();
    expect(store.listEvents(a).map((e) => [e.seq, numberOf(e)])).toEqual([[1, 1], [2, 3]]);
    expect(store.listEvents(b).map((e) => [e.seq, numberOf(e)])).toEqual([[1, 2]]);
  });

  it('continues the sequence after close and after re-opening the store', () => {
    const { store, file } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const first = store.eventWriter(id);
    first.append(log(1));
    first.close();
    expect(() => first.append(log(2))).toThrow(expect.objectContaining({ code: 'closed' }));
    expect(store.eventWriter(id).append(log(2))).toBe(2);
    store.close(); // flushes open writers
    const reopened = openStore(file);
    try {
      expect(reopened.eventWriter(id).append(log(3))).toBe(3);
      reopened.eventWriter(id).flush();
      expect(reopened.listEvents(id).map((e) => numberOf(e))).toEqual([1, 2, 3]);
    } finally {
      reopened.close();
    }
  });

  it('rejects malformed events at append, without using up a seq', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const writer = store.eventWriter(id);
    expect(() => writer.append({ ...log(0), level: 'loud' as never })).toThrow(/bad level: loud/);
    expect(() => writer.append({ ...log(0), type: 'nope' as never })).toThrow(/Invalid event for trajectory .*: type: /);
    expect(() => writer.append({ ...log(0), payload: undefined as never })).toThrow(/payload: Invalid input: expected object/);
    expect(() => writer.append({ ...log(0), type: 'tool_call' as never })).toThrow(/payload.id: Invalid input: expected string/);
    expect(writer.append(log(0))).toBe(1);
  });

  it('defaults time to now and keeps a given time and step', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const writer = store.eventWriter(id);
    writer.append({ level: 'warning', type: 'command_output', payload: { stream: 'stdout', text: 'x' } });
    writer.append({ level: 'info', type: 'status', step: 'build', time: '2024-05-01T00:00:00.000Z', payload: { status: 'running' } });
    writer.flush();
    const [first, second] = store.listEvents(id);
    expect(Date.parse(first.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(first).toMatchObject({ level: 'warning', type: 'command_output', step: null, payload: { stream: 'stdout', text: 'x' } });
    expect(second).toMatchObject({ step: 'build', time: '2024-05-01T00:00:00.000Z' });
  });

  it('reports a failed flush, keeps the events and retries on the next append', async () => {
    const { store, file } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const writer = store.eventWriter(id, { flushIntervalMs: 10 });
    writer.append(log(1));
    writer.flush();
    // A second process writing the same trajectory takes seq 2 first: a conflict.
    const intruder = openStore(file);
    intruder.eventWriter(id).append(log(99));
    intruder.close();

    writer.append(log(2));
    await sleep(60); // the timed flush fails quietly and keeps the event
    expect(() => writer.append(log(3))).toThrow(
      expect.objectContaining({ code: 'write_failed', message: expect.stringMatching(/Could not store 1 events of trajectory/) }),
    );
    expect(() => writer.flush()).toThrow(/UNIQUE constraint failed/);
    expect(store.listEvents(id).map((e) => numberOf(e))).toEqual([1, 99]);
    expect(() => store.close()).toThrow(/UNIQUE constraint failed/); // closes anyway, reporting the loss
    expect(() => store.countEvents(id)).toThrow(expect.objectContaining({ code: 'closed' }));
  });
});
