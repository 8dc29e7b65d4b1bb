// Webhooks over the local Jetty API: a real receiver on loopback verifies each signature; a
// receiver that is down, then up, gets the run's end once; one that never answers costs the run nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { reply } from '../helpers/scripted-model-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { startWorkflowApi, type Json, type WorkflowApi } from '../helpers/workflow-engine';

const SECRET = 'whsec-test-0123456789abcdef';
const ECHO = { init_params: { text: 'hello' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] };

let api: WorkflowApi;
const receivers: WebhookReceiver[] = [];
const receiver = async (...args: Parameters<typeof startWebhookReceiver>) => {
  const r = await startWebhookReceiver(...args);
  receivers.push(r);
  return r;
};
/** POST /run-sync of the echo task with these form fields. */
async function run(fields: Record<string, string>): Promise<Json> {
  const form = new FormData();
  form.append('init_params', JSON.stringify({ text: 'signed' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${api.base}/run-sync/hooks/echo`, { method: 'POST', headers: { authorization: `Bearer ${api.token}` }, body: form });
  return { http: res.status, ...((await res.json()) as object) };
}
const delivery = async (id: string): Promise<Json> => {
  const res = await fetch(`${api.base}/webhooks/deliveries?trajectory_id=${id}`, { headers: { authorization: `Bearer ${api.token}` } });
  return ((await res.json()) as Json).deliveries[0];
};

beforeAll(async () => {
  api = await startWorkflowApi(() => reply('unused'), { engine: { webhookOptions: { backoff: { baseMs: 30, maxMs: 120 }, attemptTimeoutMs: 1500 } } });
  await api.post('/collections/', { name: 'hooks' });
  await api.post('/tasks/hooks', { name: 'echo', workflow: ECHO });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await api?.close();
});

describe('webhooks', () => {
  it('POSTs the run’s trajectory when it ends, signed; the receiver verifies it', async () => {
    const hook = await receiver(SECRET);
    const ran = await run({ webhook_url: hook.url, webhook_secret: SECRET });
    expect([ran.http, ran.status]).toEqual([200, 'completed']);
    await waitFor(() => hook.received.length > 0, 'the webhook');
    const [got] = hook.received;
    expect(got.verified).toBe(true);
    expect(got.headers['x-mise-timestamp']).toMatch(/^\d{10}$/);
    expect(got.body).toMatchObject({ trajectory_id: ran.workflow_id, status: 'completed', init_params: { text: 'signed' }, labels: [], webhook_url: hook.url });
    expect(await delivery(ran.workflow_id)).toMatchObject({ state: 'delivered', attempts: 1, last_status: 200 });
    // The secret is nowhere in what the store keeps.
    expect(JSON.stringify(await delivery(ran.workflow_id))).not.toContain(SECRET);
  });

  it('a receiver down, then up: retried from the queue, delivered once', async () => {
    const port = await freePort();
    const ran = await run({ webhook_url: `http://127.0.0.1:${port}/hooks/run-complete`, webhook_secret: SECRET });
    expect([ran.http, ran.status]).toEqual([200, 'completed']);
    await waitFor(() => lastAttempts >= 2, 'two failed attempts', 10_000, async () => (lastAttempts = (await delivery(ran.workflow_id))?.attempts ?? 0));
    expect(await delivery(ran.workflow_id)).toMatchObject({ state: 'pending', last_status: null, last_error: 'ECONNREFUSED' });
    const hook = await receiver(SECRET, { port });
    await waitFor(() => hook.received.length > 0, 'the delivery once the receiver is up', 10_000);
    await waitFor(() => lastState === 'delivered', 'the delivery recorded', 10_000, async () => (lastState = (await delivery(ran.workflow_id)).state));
    await api.engine.webhooks.drain();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].verified).toBe(true);
  });

  it('a receiver that never answers does not hold the run up; the attempt is bounded', async () => {
    const hook = await receiver(SECRET, { hang: true });
    const ran = await run({ webhook_url: hook.url });
    expect([ran.http, ran.status]).toEqual([200, 'completed']);
    // The run answered while its delivery still waited on the receiver (an attempt ends after 1500 ms at most).
    expect(await delivery(ran.workflow_id)).toMatchObject({ state: 'pending', last_error: null });
    await waitFor(() => lastError !== null, 'the bounded attempt', 10_000, async () => (lastError = (await delivery(ran.workflow_id))?.last_error ?? null));
    expect(lastError).toBe('no answer within 1500 ms');
    expect(hook.received[0].headers['x-mise-signature']).toBeUndefined();
  });

  it('a routine’s runs carry its webhook', async () => {
    const hook = await receiver(SECRET);
    const created = await api.post('/routines/hooks/echo', { name: 'hooked', cadence: { type: 'manual' }, webhook_url: hook.url, webhook_secret: SECRET });
    expect(created.json).toMatchObject({ webhook_url: hook.url, webhook_secret_set: true });
    expect(JSON.stringify(created.json)).not.toContain(SECRET);
    const now = await api.post('/routines/hooks/echo/hooked/run-now', {});
    await waitFor(() => hook.received.length > 0, 'the routine run’s webhook');
    expect(hook.received[0]).toMatchObject({ verified: true, body: { trajectory_id: now.json.workflow_id, labels: [expect.objectContaining({ key: 'routine', value: 'hooked' })] } });
  });

  it('refuses a webhook URL that is not http or https', async () => {
    const refused = await run({ webhook_url: 'file:///etc/passwd' });
    expect(refused).toMatchObject({ http: 422, error: { message: 'webhook_url: must be an http or https URL' } });
  });
});

let lastAttempts = 0;
let lastState = '';
let lastError: string | null = null;
