/**
 * A workflow step reads only its own run's files (uploads, stored outputs of its workflow
 * tree), named by storage path: a document that names a host file — the secret store's key,
 * /etc/passwd, a `..` out of the files root — or another run's output gets a clear error,
 * and nothing of the file reaches the provider, the outputs or the store. Real engine,
 * passthrough, scripted model server, SQLite.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_PNG } from '../helpers/scripted-model-images';
import { reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';

const userText = (r: ChatRequest) => JSON.stringify(r.messages.at(-1)?.content ?? '');

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi((r) => reply(`seen: ${userText(r).slice(0, 40)}`));
});
afterAll(async () => api?.close());

const vision = (extra: Record<string, unknown>) => ({ step_configs: { look: { activity: 'litellm_vision', model: 'openai/scripted', prompt: 'what is it', retries: 0, ...extra } }, steps: ['look'] });

/** Every request body the scripted provider received, and the store file's bytes: where a leaked file would show. */
const everywhere = () => [...api.model.requests.map((r) => JSON.stringify(r.body)), readFileSync(path.join(api.dataDir, 'jetty.db')).toString('latin1')].join('\n');

describe('file-reading steps read only the files of their own run', () => {
  it('litellm_vision refuses a host path — the vault key by absolute path, by init param, through `..` — and /etc/passwd; nothing of them leaves', async () => {
    const keyFile = path.join(api.dataDir, 'secrets', 'secrets.key');
    const keyBytes = readFileSync(keyFile);
    const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
      ['absolute', { image_path_expr: keyFile }, {}, `image_path_expr '${keyFile}'`],
      ['param', { image_path: 'init_params.file' }, { file: keyFile }, `image '${keyFile}'`],
      ['dotdot', { image_path_expr: '../secrets/secrets.key' }, {}, "image_path_expr '../secrets/secrets.key'"],
      ['inside-dotdot', { image_path_expr: 'wf/outputs/x/../../../secrets/secrets.key' }, {}, "image_path_expr 'wf/outputs/x/../../../secrets/secrets.key'"],
      ['passwd', { image_path_expr: '/etc/passwd' }, {}, "image_path_expr '/etc/passwd'"],
    ];
    for (const [name, config, params, what] of cases) {
      const t = (await api.runSync(`host-${name}`, vision(config), params)).json.trajectory;
      expect(t.status, name).toBe('failed');
      expect(t.error, name).toBe(
        `step 'look' failed: ${what} is not a file of this run: give the storage path of one of its uploads or of a file an earlier step stored (e.g. draw.outputs.images[0].path), not a host path`,
      );
    }
    expect(api.model.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
    const seen = everywhere();
    expect(seen).not.toContain(keyBytes.toString('base64'));
    expect(seen).not.toContain(readFileSync('/etc/passwd').toString('base64').slice(0, 40));
  });

  it("reads its own run's stored image (an earlier step's output) and sends it inline", async () => {
    const t = (
      await api.runSync('own', {
        step_configs: {
          draw: { activity: 'litellm_image_generation', model: 'dall-e-3', prompt: 'A sunset' },
          look: { activity: 'litellm_vision', model: 'openai/scripted', prompt: 'what is it', image_path: 'draw.outputs.images[0].path' },
        },
        steps: ['draw', 'look'],
      })
    ).json.trajectory;
    expect(t.status, JSON.stringify(t.steps)).toBe('completed');
    const sent = api.model.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.body as Json;
    expect(sent.messages.at(-1).content[1]).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${SCRIPTED_PNG.toString('base64')}` } });
  });

  it("a fan-out child reads its root's stored images (its own workflow tree)", async () => {
    await api.post('/collections/', { name: 'wf' });
    await api.post('/tasks/wf', { name: 'look-child', workflow: vision({ image_path: 'init_params.item' }) });
    const t = (
      await api.runSync('tree', {
        step_configs: {
          draw: { activity: 'litellm_image_generation', model: 'gpt-image-1', prompt: 'two cats', n: 2 },
          fan: { activity: 'list_emit_await', items_path: 'draw.outputs.images[*].path', child_workflow_name: 'wf/look-child' },
        },
        steps: ['draw', 'fan'],
      })
    ).json.trajectory;
    expect(t.status, t.error).toBe('completed');
    expect(t.steps.fan.outputs.statuses).toEqual(['completed', 'completed']);
  });

  it("refuses another run's stored output, even one of the same task", async () => {
    const drawn = (await api.runSync('drawn', { step_configs: { draw: { activity: 'litellm_image_generation', model: 'dall-e-3', prompt: 'A sunset' } }, steps: ['draw'] })).json.trajectory;
    const other = drawn.steps.draw.outputs.images[0].path as string;
    expect(other).toMatch(new RegExp(`^wf/outputs/${drawn.id}/draw/image-0\\.png$`));
    const t = (await api.runSync('other-run', vision({ image_path: 'init_params.image' }), { image: other })).json.trajectory;
    expect(t.status).toBe('failed');
    expect(t.error).toContain(`image '${other}' is not a file of this run`);
  });

  it("read_uploaded_file reads the run's upload through the same check; replicate_run sends a host path as the text it is, not the file", async () => {
    const upload = path.join(api.dataDir, 'notes.txt');
    await writeFile(upload, 'uploaded notes');
    await api.post('/collections/', { name: 'wf' });
    await api.post('/tasks/wf', { name: 'read-upload', workflow: { step_configs: { read: { activity: 'read_uploaded_file' } }, steps: ['read'] } });
    const res = await api.curl(['-X', 'POST', '-F', 'init_params={}', '-F', `files=@${upload}`, `${api.base}/run-sync/wf/read-upload`]);
    expect(res.json.trajectory.steps.read.outputs).toEqual({ content: 'uploaded notes', filename: 'notes.txt', size: 14 });

    const keyFile = path.join(api.dataDir, 'secrets', 'secrets.key');
    const version = 'b'.repeat(64);
    const t = (await api.runSync('replicate-host', { step_configs: { caption: { activity: 'replicate_run', model: `yorickvp/llava-13b:${version}`, input: { prompt: 'describe', image_path: 'init_params.file' } } }, steps: ['caption'] }, { file: keyFile })).json
      .trajectory;
    expect(t.status).toBe('completed');
    expect(api.model.requests.filter((r) => r.path === '/v1/predictions').at(-1)!.body).toMatchObject({ input: { prompt: 'describe', image: keyFile } });
    expect(everywhere()).not.toContain(readFileSync(keyFile).toString('base64'));
  });
});
