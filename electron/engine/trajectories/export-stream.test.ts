import { describe, expect, it } from 'vitest';
import { aTrajectory, tempStore } from '../store/temp-store.test-helper';
import { exportChunks } from './export-stream';

const collect = async (chunks: AsyncIterable<string>) => {
  const parts: string[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return parts;
};

describe('exportChunks', () => {
  it('writes byte for byte the pretty-printed export, events a page at a time', async () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const writer = store.eventWriter(id);
    for (let i = 0; i < 25; i++) writer.append({ level: 'info', type: 'log', payload: { message: `line ${i}\nwith "quotes"`, upload_pending: i } });
    store.addLabel(id, { key: 'quality', value: 'good', author: 'test' });
    const parts = await collect(exportChunks(store, id, 10));
    expect(parts.join('')).toBe(JSON.stringify(store.exportTrajectory(id), null, 2));
    expect(parts).toHaveLength(1 + 3 + 1); // head, three pages of events, tail
  });

  it('exports a trajectory without events as the same document', async () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    expect((await collect(exportChunks(store, id))).join('')).toBe(JSON.stringify(store.exportTrajectory(id), null, 2));
  });

  it('refuses an unknown id with not_found', async () => {
    const { store } = tempStore();
    await expect(collect(exportChunks(store, 'deadbeef'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
