import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store';
import { tempDir, tempStore } from '../store/temp-store.test-helper';
import { summariseCall, type PassthroughRecord } from './call-summary';
import { startRecordWriter } from './record-writer';

const record = (store: Store): PassthroughRecord =>
  summariseCall({
    id: store.freshTrajectoryId(),
    provider: 'openai',
    model: 'openai/gpt-4o',
    stream: false,
    request: { model: 'openai/gpt-4o' },
    status: 200,
    chunks: [Buffer.from('{"choices":[]}')],
    cancelled: false,
    startedAt: 1_000,
    firstByteAt: null,
    endedAt: 1_007,
  });

const stored = (store: Store, records: PassthroughRecord[]) => records.filter((r) => store.getTrajectory(r.id)).length;

describe('record writer', () => {
  it('stores slices from its thread, announces them on the store, and finishes them on close', async () => {
    const { store } = tempStore();
    // This connection cannot import: whatever gets stored was stored by the thread.
    const mainStore: Store = { ...store, importTrajectories: () => { throw new Error('not on the event loop'); } };
    const announced: string[] = [];
    store.onChange(({ table, trajectoryId }) => table === 'trajectories' && announced.push(trajectoryId));
    const errors: unknown[] = [];
    const writer = startRecordWriter(mainStore, (error) => errors.push(error));

    // Slices handed over before the thread has its store open go in-process (and throw here).
    const probes: PassthroughRecord[] = [];
    let refused = 0;
    for (let i = 0; i < 500 && stored(store, probes) === 0; i++) {
      const probe = record(store);
      probes.push(probe);
      try {
        writer.write([probe]);
      } catch {
        refused++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(refused).toBe(probes.length - 1);
    expect(stored(store, probes)).toBe(1);

    const slices = [[record(store), record(store)], [record(store)]];
    for (const slice of slices) writer.write(slice);
    await writer.close();
    const ids = slices.flat().map((r) => r.id);
    expect(ids.map((id) => store.getTrajectory(id)?.kind)).toEqual(['passthrough', 'passthrough', 'passthrough']);
    expect(announced).toEqual(expect.arrayContaining(ids));
    expect(errors).toEqual([]);
  });

  it('stores in-process when the thread cannot open the store, and reports why', async () => {
    const { store } = tempStore();
    const unreachable: Store = { ...store, file: path.join(tempDir(), 'missing', 'jetty.db') };
    const errors: Error[] = [];
    const writer = startRecordWriter(unreachable, (error) => errors.push(error as Error));
    for (let i = 0; i < 500 && errors.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(errors.map((e) => e.message).join('\n')).toMatch(/does not exist[\s\S]*recording thread exited \(code 1\)/);

    const slice = [record(store), record(store)];
    writer.write(slice);
    expect(stored(store, slice)).toBe(2);
    await writer.close();
  });
});
