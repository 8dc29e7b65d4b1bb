import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store';
import { exportToAtif } from './atif-export';
import { atifFilesAt, importAtifFile, writeAtifFolder } from './atif-files';
import { atifToExport } from './atif-import';
import { atifIssues, type AtifTrajectory } from './atif-schema';
import { importableDocument } from './cloud-summary';

const JOB = path.resolve(__dirname, '../../../test/fixtures/atif/harbor-job');
const HELLO = path.join(JOB, 'hello-world__K7pQ2x/agent/trajectory.json');

const minimal = (): AtifTrajectory => ({
  schema_version: 'ATIF-v1.7',
  agent: { name: 'a', version: '1' },
  steps: [
    { step_id: 1, source: 'user', message: 'hi' },
    { step_id: 2, source: 'agent', message: '', tool_calls: [{ tool_call_id: 'c1', function_name: 'bash', arguments: {} }], observation: { results: [{ source_call_id: 'c1', content: 'ok' }] } },
  ],
});

let dir: string | undefined;
let store: Store | undefined;
afterEach(async () => {
  store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  store = dir = undefined;
});
async function freshStore() {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-atif-'));
  store = openStore(path.join(dir, 'jetty.db'));
  return { store, artifacts: path.join(dir, 'artifacts'), dir };
}

describe('ATIF schema check', () => {
  it('accepts a minimal document and the Harbor fixtures', async () => {
    expect(atifIssues(minimal())).toEqual([]);
    for (const file of await atifFilesAt(JOB)) expect(atifIssues(JSON.parse(await readFile(file, 'utf8'))), file).toEqual([]);
  });

  it.each([
    ['an unknown key (extra=forbid)', (d: AtifTrajectory) => Object.assign(d.steps[0], { trajectory: 'x' }), /steps\[0\].*unknown keys/],
    ['steps out of order', (d: AtifTrajectory) => (d.steps[1].step_id = 3), /expected 2, got 3/],
    ['a result naming no call of its step', (d: AtifTrajectory) => (d.steps[1].observation!.results[0].source_call_id = 'c9'), /'c9' is no tool_call_id/],
    ['an agent-only field on a user step', (d: AtifTrajectory) => (d.steps[0].reasoning_content = 'hm'), /only agent steps/],
    ['llm_call_count 0 with metrics', (d: AtifTrajectory) => Object.assign(d.steps[1], { llm_call_count: 0, metrics: { prompt_tokens: 1 } }), /deterministic dispatch/],
    ['a subagent ref with only session_id', (d: AtifTrajectory) => (d.steps[1].observation!.results[0].subagent_trajectory_ref = [{ session_id: 's' }]), /trajectory_id or trajectory_path/],
    ['no session_id before 1.7', (d: AtifTrajectory) => (d.schema_version = 'ATIF-v1.6'), /session_id: required/],
    ['an unknown version', (d: AtifTrajectory) => ((d as { schema_version: string }).schema_version = 'ATIF-v2.0'), /schema_version/],
    ['tool call arguments not an object', (d: AtifTrajectory) => ((d.steps[1].tool_calls![0] as { arguments: unknown }).arguments = 'ls'), /arguments/],
    ['an image of another media type', (d: AtifTrajectory) => (d.steps[0].message = [{ type: 'image', source: { media_type: 'image/bmp' as 'image/png', path: 'a.bmp' } }]), /media_type/],
  ])('refuses %s', (_what, breakIt, message) => {
    const doc = minimal();
    breakIt(doc);
    const issues = atifIssues(doc);
    expect(issues.join('\n')).toMatch(message);
  });

  it('collects every issue, not the first', () => {
    const doc = minimal();
    doc.steps[0].step_id = 5;
    doc.steps[1].observation!.results[0].source_call_id = 'nope';
    expect(atifIssues(doc)).toHaveLength(2);
  });
});

describe('ATIF import and export', () => {
  it('imports a Harbor trial with its image and exports the same steps, agent and metrics', async () => {
    const { store, artifacts, dir } = await freshStore();
    const original = JSON.parse(await readFile(HELLO, 'utf8')) as AtifTrajectory;
    const { id, missingImages } = await importAtifFile(store, artifacts, HELLO);
    expect(missingImages).toEqual([]);
    const t = store.getTrajectory(id)!;
    expect(t).toMatchObject({ collection: 'imported', task: 'hello-world', agent: 'terminus-2', model: 'anthropic/claude-sonnet-4', status: 'completed' });
    expect(t.artifacts.map((a) => a.path)).toEqual(['atif/images/screen-1.png']);
    // It replays as a local run does: messages, a model call per agent step, tool calls and results.
    const types = store.listEvents(id, { limit: 100 }).map((e) => e.type);
    expect(types.filter((x) => x === 'model_call')).toHaveLength(3);
    expect(types.filter((x) => x === 'tool_result')).toHaveLength(3);

    const written = await writeAtifFolder(store, artifacts, id, path.join(dir, 'out'));
    expect(written.images).toBe(1);
    const again = JSON.parse(await readFile(written.file, 'utf8')) as AtifTrajectory;
    expect(atifIssues(again)).toEqual([]);
    expect(await readFile(path.join(dir, 'out/images/screen-1.png'))).toEqual(await readFile(path.join(path.dirname(HELLO), 'images/screen-1.png')));
    const { extra, schema_version: _v, trajectory_id: localId, ...rest } = again;
    const { schema_version: _o, ...originalRest } = original;
    expect(rest).toEqual(originalRest);
    expect(localId).toBe(id);
    expect((extra as { jetty: { trajectory_id: string } }).jetty.trajectory_id).toBe(id);
  });

  it('imports every trial of a Harbor job folder', async () => {
    const { store, artifacts } = await freshStore();
    const files = await atifFilesAt(JOB);
    expect(files.map((f) => path.basename(path.dirname(path.dirname(f))))).toEqual(['count-files__Zr81Mv', 'hello-world__K7pQ2x']);
    for (const file of files) await importAtifFile(store, artifacts, file, { collection: 'harbor' });
    expect(store.listTrajectories({ collection: 'harbor' }).trajectories.map((t) => t.task).sort()).toEqual(['count-files', 'hello-world']);
  });

  it('export → import → export is the same document (a second import keeps its ids in the document)', async () => {
    const { store, artifacts } = await freshStore();
    const { id } = await importAtifFile(store, artifacts, path.join(JOB, 'count-files__Zr81Mv/agent/trajectory.json'));
    const first = exportToAtif(store.exportTrajectory(id)).document;
    const second = store.importTrajectory(atifToExport(first));
    expect(second).not.toBe(id);
    const { extra: e1, ...d1 } = first;
    const { extra: e2, ...d2 } = exportToAtif(store.exportTrajectory(second)).document;
    expect(d2).toEqual(d1);
    expect({ ...(e2 as { jetty: object }).jetty, trajectory_id: id }).toEqual((e1 as { jetty: object }).jetty);
  });

  it('the app and REST import an ATIF document by its schema_version, and refuse a broken one naming the field', async () => {
    const { store } = await freshStore();
    const id = store.importTrajectory(importableDocument(minimal()));
    expect(store.listEvents(id, { limit: 10 }).map((e) => e.type)).toEqual(['message', 'model_call', 'tool_call', 'tool_result']);
    const broken = { ...minimal(), steps: [{ step_id: 2, source: 'user', message: 'x' }] };
    expect(() => importableDocument(broken)).toThrow(/not a valid ATIF trajectory: steps\[0\].step_id/);
  });
});
