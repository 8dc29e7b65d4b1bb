import { describe, expect, it } from 'vitest';
import { TRAJECTORY_FORMAT_VERSION, TrajectoryExportSchema } from '../../../shared/trajectory';
import type { Store } from './index';
import { aTrajectory, tempStore } from './temp-store.test-helper';

function fullTrajectory(store: Store): string {
  const { id } = store.createTrajectory(aTrajectory({ init_params: { city: 'Porto' }, agent: 'codex', model: 'm' }));
  store.updateStep(id, 'fetch', { status: 'completed', inputs: { q: 1 }, outputs: { images: [{ path: 'a.png' }] } });
  store.updateStep(id, 'judge', { status: 'failed', outputs: { score: 2 } });
  store.addLabel(id, { key: 'quality', value: 'good', author: 'ana' });
  store.addArtifact(id, { path: 'results/a.png', size: 5, sha256: 'f'.repeat(64), media_type: 'image/png' });
  store.updateTrajectory(id, {
    status: 'completed',
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cost_usd: null },
    evaluation: { overall_passed: true, pass: 1, partial: 0, fail: 0, report: { lines: ['ok'] } },
  });
  const writer = store.eventWriter(id);
  writer.append({ level: 'info', type: 'message', step: 'fetch', payload: { role: 'assistant', text: 'hi' } });
  writer.append({ level: 'error', type: 'tool_result', step: 'judge', payload: { id: 'c1', name: 'judge', ok: false, output: 'no' } });
  return id;
}

describe('export and import', () => {
  it('exports the cloud shape with format_version and all events, including buffered ones', () => {
    const { store } = tempStore();
    const id = fullTrajectory(store);
    const doc = store.exportTrajectory(id);
    expect(TrajectoryExportSchema.parse(doc)).toEqual(doc);
    expect(doc.format_version).toBe(TRAJECTORY_FORMAT_VERSION);
    expect(Object.keys(doc.steps)).toEqual(['fetch', 'judge']);
    expect(doc.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(() => store.exportTrajectory('ffffffff')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('round-trips into another store under the same id, and under a new id when taken', () => {
    const source = tempStore().store;
    const doc = JSON.parse(JSON.stringify(source.exportTrajectory(fullTrajectory(source))));
    const target = tempStore().store;
    expect(target.importTrajectory(doc)).toBe(doc.id);
    expect(target.exportTrajectory(doc.id)).toEqual(doc);

    const again = target.importTrajectory(doc);
    expect(again).not.toBe(doc.id);
    expect(again).toMatch(/^[0-9a-f]{8}$/);
    expect(target.exportTrajectory(again)).toEqual({ ...doc, id: again });
    expect(target.eventWriter(again).append({ level: 'info', type: 'log', payload: { message: 'x' } })).toBe(3);
  });

  it('assigns a new id when the original is not a valid local id', () => {
    const { store } = tempStore();
    const doc = { ...store.exportTrajectory(fullTrajectory(store)), id: 'cloud-trajectory-42' };
    expect(store.importTrajectory(doc)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('refuses an imported label past the bounds an added one has, and imports nothing', () => {
    const { store } = tempStore();
    const doc = store.exportTrajectory(fullTrajectory(store));
    const before = store.listTrajectories().total;
    const huge = { ...doc, id: 'cdcdcdcd', labels: [{ key: 'note', value: 'x'.repeat(5000), author: 'ana' }] };
    expect(() => store.importTrajectory(huge)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(store.listTrajectories().total).toBe(before);
  });

  it('names the bad field and imports nothing when a document is invalid', () => {
    const { store } = tempStore();
    const doc = store.exportTrajectory(fullTrajectory(store));
    const before = store.listTrajectories().total;
    const broken = { ...doc, id: 'abababab', events: [doc.events[0], { ...doc.events[1], level: 'loud' }] };
    expect(() => store.importTrajectory(broken)).toThrow(/Invalid trajectory export: events\[1\]\.level: /);
    expect(() => store.importTrajectory({ ...doc, steps: [] })).toThrow(/steps: /);
    expect(() => store.importTrajectory({ ...doc, format_version: 99 })).toThrow(/format_version: format 99 is newer/);
    expect(() => store.importTrajectory({ ...doc, events: [doc.events[1], doc.events[0]] })).toThrow(
      /events\[1\]\.seq: sequence numbers must be positive and strictly increasing/,
    );
    expect(() => store.importTrajectory('nope')).toThrow(/\(document\): /);
    expect(store.listTrajectories().total).toBe(before);
    expect(store.getTrajectory('abababab')).toBeNull();
  });
});
