import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import { createEngine, type Engine } from '../../electron/engine/api';

const echo = { init_params: { text: 'hello' }, step_configs: { say: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['say'] };
const child = { init_params: { item: '' }, step_configs: { upper: { activity: 'text_template', template: 'item {{ init_params.item }}' } }, steps: ['upper'] };
const fan = {
  init_params: { text: 'a,b,c' },
  step_configs: {
    split: { activity: 'text_split', text_path: 'init_params.text', separator: ',' },
    each: { activity: 'list_emit_await', items_path: 'split.outputs.chunks', child_workflow_name: 'demo/child', max_concurrency: 2 },
  },
  steps: ['split', 'each'],
};

describe('workflow files in the app (contract methods)', () => {
  let engine: Engine | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await engine?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open() {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-wf-ui-'));
    const folder = path.join(dir, 'work');
    await mkdir(path.join(folder, 'demo', 'hello'), { recursive: true });
    await writeFile(path.join(folder, 'demo', 'hello', 'RUNBOOK.md'), '---\nversion: 1\n---\n# Hello\n');
    await writeFile(path.join(folder, 'demo', 'echo.workflow.json'), JSON.stringify({ name: 'echo', description: 'Says hello', workflow: echo }, null, 2));
    await writeFile(path.join(folder, 'demo', 'child.workflow.json'), JSON.stringify(child, null, 2));
    await writeFile(path.join(folder, 'demo', 'fan.workflow.json'), JSON.stringify(fan, null, 2));
    engine = await createEngine({ dataDir: path.join(dir, 'data'), env: {} });
    return { folder, ws: await engine.api['workspace.open']({ folder }) };
  }

  it('lists workflow files beside runbooks with their kind, collection, name and description', async () => {
    const { ws } = await open();
    const entries = ws.runbooks.map((r) => [r.kind, r.collection, r.name, r.title, r.errors]);
    expect(entries).toEqual([
      ['workflow', 'demo', 'child', null, 0],
      ['workflow', 'demo', 'echo', 'Says hello', 0],
      ['workflow', 'demo', 'fan', null, 0],
      ['runbook', 'demo', 'hello', 'Hello', expect.any(Number)],
    ]);
  });

  it('lints the editor buffer with located errors, and refuses files that are not workflows', async () => {
    const { folder } = await open();
    const file = path.join(folder, 'demo', 'echo.workflow.json');
    const text = JSON.stringify({ step_configs: { say: { activity: 'text_ech', text: 'x' } }, steps: ['say'] }, null, 2);
    const { diagnostics } = await engine!.api['workflow.lint']({ path: file, text });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'WF002', message: "unknown activity 'text_ech'", hint: "did you mean 'text_echo'?", range: expect.objectContaining({ line: 4 }) })]);
    await expect(engine!.api['workflow.lint']({ path: path.join(folder, 'demo', 'hello', 'RUNBOOK.md') })).rejects.toThrow(/not a workflow file/);
    await expect(engine!.api['workflow.lint']({ path: path.join(os.tmpdir(), 'x.workflow.json') })).rejects.toThrow(/outside the open folders/);
  });

  it('gives a JSON schema naming every executing activity and its parameters', async () => {
    await open();
    const { schema, activities } = await engine!.api['workflow.schema']({});
    const names = activities.map((a) => a.activity_name);
    expect(names).toContain('list_emit_await');
    const stepConfig = (schema.definitions as Record<string, { properties: { activity: { enum: string[] } }; allOf: unknown[] }>).stepConfig;
    expect(stepConfig.properties.activity.enum).toEqual(names);
    expect(JSON.stringify(stepConfig.allOf)).toContain('"child_workflow_name_path"');
  });

  it('starts a workflow file with parameters, reports progress, and shows its steps and fan-out children', async () => {
    const { folder } = await open();
    const progress: EventPayload<'workflow.progress'>[] = [];
    engine!.bus.subscribe('workflow.progress', (p) => progress.push(p));
    const { trajectoryId } = await engine!.api['workflow.start']({ path: path.join(folder, 'demo', 'fan.workflow.json'), init_params: { text: 'x,y,z,w' } });
    const done = await engine!.workflows.wait(trajectoryId);
    expect(done?.status).toBe('completed');
    const view = await engine!.api['workflow.run']({ id: trajectoryId });
    expect(view).toMatchObject({ collection: 'demo', task: 'fan', status: 'completed', parent: null });
    expect(view.steps.map((s) => [s.name, s.activity, s.status, s.attempt])).toEqual([
      ['split', 'text_split', 'completed', 1],
      ['each', 'list_emit_await', 'completed', 1],
    ]);
    expect(view.steps[0].inputs).toMatchObject({ text: 'x,y,z,w' });
    expect(view.children.map((c) => [c.step, c.index, c.status])).toEqual([0, 1, 2, 3].map((i) => ['each', i, 'completed']));
    const childView = await engine!.api['workflow.run']({ id: view.children[2].id });
    expect(childView.parent).toEqual({ id: trajectoryId, step: 'each', index: 2 });
    expect(childView.steps[0].outputs).toEqual({ text: 'item z' });
    expect(progress.filter((p) => p.workflowId === trajectoryId).map((p) => [p.step, p.status])).toEqual([
      ['split', 'completed'],
      ['each', 'running'],
      ['each', 'completed'],
    ]);
  });

  it('refuses to start an invalid workflow file with the located message', async () => {
    const { folder } = await open();
    const file = path.join(folder, 'demo', 'bad.workflow.json');
    await writeFile(file, JSON.stringify({ step_configs: { a: { activity: 'nope' } }, steps: ['a'] }));
    await expect(engine!.api['workflow.start']({ path: file, init_params: {} })).rejects.toThrow(/step_configs\.a\.activity: unknown activity 'nope'/);
  });
});
