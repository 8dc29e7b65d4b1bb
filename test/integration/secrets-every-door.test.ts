// Every record the engine stores is redacted of the secrets it knows — the vault's, the
// collections' environments', provider keys — whatever the front door: workflow steps and
// documents, passthrough prompts and completions, labels. No covered form of either secret
// is in jetty.db's bytes (WAL too).
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedForms } from '../../electron/engine/store/encoded-forms';
import { MIN_SECRET_LENGTH } from '../../electron/engine/store';
import { reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

const VAULT_SECRET = 'vault-Zk29xQ7mPa51LwT3';
const COLLECTION_SECRET = 'coll-Hy72Bn40Vd8sQe1R';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The model repeats its prompt back. */
const echo = (request: ChatRequest) => reply(`you said: ${String(request.messages.at(-1)?.content ?? '')}`);

const formsOf = (secret: string) => encodedForms(secret, MIN_SECRET_LENGTH);
function formsIn(bytes: Buffer, secret: string): string[] {
  const text = bytes.toString('latin1').replace(/\r?\n[ \t]*/g, '');
  return formsOf(secret)
    .filter((form) => (form.anyCase ? text.toLowerCase().includes(form.text.toLowerCase()) : text.includes(form.text)))
    .map((f) => f.encoding);
}

let api: WorkflowApi;
beforeAll(async () => {
  api = await startWorkflowApi(echo);
  await api.engine.api['secrets.set']({ name: 'VAULT_TOKEN', value: VAULT_SECRET });
});
afterAll(async () => api?.close());

describe('secrets known to the engine, through every front door', () => {
  it('are redacted from workflow documents, step inputs and outputs, passthrough calls and labels', async () => {
    expect((await api.post('/collections/', { name: 'wf' })).status).toBe(201);
    const patched = await api.curl(['-X', 'PATCH', '-H', 'Content-Type: application/json', `${api.base}/collections/wf/environment`, '-d', JSON.stringify({ environment_variables: { SERVICE_KEY: COLLECTION_SECRET } })]);
    expect(patched.status).toBe(200);

    // A workflow whose document and parameters carry both secrets, plain and base64, through a text step and a model step.
    const ran = await api.runSync(
      'leaky',
      {
        init_params: { note: `doc ${COLLECTION_SECRET}`, extra: '' },
        step_configs: {
          echo: { activity: 'text_echo', text_path: 'init_params.note' },
          ask: { activity: 'litellm_chat', model: 'openai/gpt-4o-mini', prompt_path: 'init_params.extra' },
        },
        steps: ['echo', 'ask'],
      },
      { extra: `param ${VAULT_SECRET} and ${b64(VAULT_SECRET)}` },
    );
    expect(ran.json).toMatchObject({ status: 'completed' });
    const id = ran.json.workflow_id;
    const steps = (await api.curl([`${api.base}/db/trajectory/wf/leaky/${id}`])).json.steps;
    expect(steps.echo.outputs.text).toBe('doc [REDACTED:SERVICE_KEY]');
    expect(steps.ask.outputs.text).toBe('you said: param [REDACTED:VAULT_TOKEN] and [REDACTED:VAULT_TOKEN]');
    // The model itself was sent the real values.
    expect(JSON.stringify(api.model.requests.at(-1)?.body)).toContain(VAULT_SECRET);

    // A passthrough call whose prompt and completion carry the collection's secret.
    const chat = await api.curl(['-X', 'POST', '-H', 'Content-Type: application/json', `${api.base.replace(/\/api\/v1$/, '')}/v1/chat/completions`, '-d', JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `key ${COLLECTION_SECRET}` }] })]);
    expect(chat.status).toBe(200);
    expect(chat.json.choices[0].message.content).toBe(`you said: key ${COLLECTION_SECRET}`);

    // A label carrying the vault's secret.
    const labelled = await api.post(`/trajectory/wf/leaky/${id}/labels`, { key: 'note', value: `leaked ${VAULT_SECRET}`, author: 'tester' });
    expect(labelled.status).toBe(201);
    expect(labelled.json.value).toBe('leaked [REDACTED:VAULT_TOKEN]');

    // Wait until both passthrough calls (the step's and the client's) are stored by the recording thread, then read the raw bytes.
    await expect.poll(() => api.engine.services.store.listTrajectories({ collection: 'passthrough' }).trajectories.length, { timeout: 20_000 }).toBe(2);
    const store = api.engine.services.store;
    store.checkpoint();
    // The vault's secret, which no task definition holds: in no covered form anywhere in the file.
    for (const file of [store.file, `${store.file}-wal`]) expect(formsIn(await readFile(file).catch(() => Buffer.alloc(0)), VAULT_SECRET), file).toEqual([]);
    // The collection's secret is in the task's own definition (the user's document, like a RUNBOOK.md, kept as written to be run) and in no record.
    const db = new Database(store.file, { readonly: true });
    try {
      const holding = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .filter(({ name }) => db.prepare(`SELECT * FROM "${name}"`).all().some((row) => formsIn(Buffer.from(JSON.stringify(row), 'latin1'), COLLECTION_SECRET).length > 0 || JSON.stringify(row).includes(COLLECTION_SECRET)))
        .map(({ name }) => name);
      expect(holding).toEqual(['tasks']);
      const run = db.prepare<[string], { document: string }>('SELECT document FROM workflow_runs WHERE id = ?').get(id)!;
      expect(JSON.parse(run.document).init_params.note).toBe('doc [REDACTED:SERVICE_KEY]');
    } finally {
      db.close();
    }
  });
});
