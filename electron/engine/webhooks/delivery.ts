/**
 * Webhooks: when a run with a `webhook_url` ends, its trajectory (the API's JSON) is POSTed
 * there from a durable queue (store/webhooks.ts), never from the run: a receiver that is
 * down, slow or refusing costs the run nothing. Each attempt is bounded in time and in
 * what is read back; failures are retried with the engine's backoff up to `maxAttempts`,
 * and every delivery (state, attempts, last status and error) can be listed. With a secret,
 * the body is signed as Jetty cloud signs it: `X-Mise-Signature` = lowercase hex
 * HMAC-SHA256(secret, `{X-Mise-Timestamp}.{body}`), the timestamp in Unix seconds.
 * A URL is untrusted input: only http and https, no redirects followed. Loopback and
 * private addresses are allowed (the user sets the URL, for a receiver of their own, and
 * this tool runs on their machine), unlike workflow downloads, which a document chooses.
 */
import { createHmac } from 'node:crypto';
import type { Trajectory } from '../../../shared/trajectory';
import { WebhookUrlSchema } from '../../../shared/routines';
import { backoffMs, type Backoff } from '../base/retry-policy';
import { VERSION } from '../base/version';
import type { SecretVault } from '../secrets/vault';
import type { Store, WebhookDelivery } from '../store';
import { withTrajectoryId } from '../trajectories/rest-shape';

export const TERMINAL_STATUSES = new Set(['completed', 'failed', 'cancelled', 'archived']);

export interface WebhookOptions {
  /** Attempts per delivery before it is failed for good. */
  maxAttempts?: number;
  backoff?: Backoff;
  /** One attempt's bound: connect, send and the answer's headers and first 64 KiB. */
  attemptTimeoutMs?: number;
  /** A body past this is sent without the trajectory's steps and evaluation report (`truncated: true`). */
  maxBodyBytes?: number;
  now?: () => number;
}

export const WEBHOOK_DEFAULTS = { maxAttempts: 8, backoff: { baseMs: 2_000, maxMs: 10 * 60_000, jitter: true }, attemptTimeoutMs: 10_000, maxBodyBytes: 1024 * 1024 };
/** What is read of a receiver's answer (the rest is dropped). */
const MAX_ANSWER_BYTES = 64 * 1024;
/** Deliveries sent per pass of the queue. */
const BATCH = 20;

/** The vault entry of a run's webhook signing secret. */
export const runWebhookSecretName = (trajectoryId: string) => `jetty.webhook.run.${trajectoryId}`;

/** The signature headers of a body. */
export function signatureHeaders(secret: string, body: string, timestampSeconds: number): Record<string, string> {
  const timestamp = String(timestampSeconds);
  return { 'X-Mise-Timestamp': timestamp, 'X-Mise-Signature': createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex') };
}

/** The body a run's end is sent as: its trajectory as the API answers it, bounded. */
export function webhookBody(t: Trajectory, webhookUrl: string, maxBytes: number): string {
  const full = JSON.stringify({ ...withTrajectoryId(t), webhook_url: webhookUrl });
  if (Buffer.byteLength(full) <= maxBytes) return full;
  const { steps: _steps, evaluation, ...rest } = withTrajectoryId(t);
  const { report: _report, ...verdict } = evaluation ?? {};
  return JSON.stringify({ ...rest, evaluation: evaluation ? verdict : null, steps: {}, webhook_url: webhookUrl, truncated: true });
}

/** Reads at most MAX_ANSWER_BYTES of an answer and lets the rest go. */
async function answerText(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_ANSWER_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES);
}

/** Whether an HTTP failure may pass if tried again (a 4xx other than these is the request's fault). */
const retryable = (status: number) => status >= 500 || status === 408 || status === 425 || status === 429;

export interface WebhookService {
  /**
   * Gives a run a webhook (a checked URL) signed with a secret given now (kept in the vault
   * until its delivery is settled) or one the vault holds already (a routine's); a run
   * already ended is queued at once.
   */
  attach(trajectoryId: string, url: string, secret?: { value: string } | { vaultName: string } | null): void;
  /** A trajectory's header changed: queues its delivery when it has a webhook and has ended. */
  trajectoryChanged(trajectoryId: string): void;
  deliveries(limit?: number): WebhookDelivery[];
  deliveryOf(trajectoryId: string): WebhookDelivery | null;
  /** Sends what is due now (the timer does too); resolves when no delivery is in flight. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createWebhookService(deps: { store: Store; vault: Pick<SecretVault, 'get' | 'set' | 'delete'>; options?: WebhookOptions }): WebhookService {
  const o = { ...WEBHOOK_DEFAULTS, ...deps.options };
  const now = o.now ?? Date.now;
  const repo = deps.store.webhooks();
  let timer: NodeJS.Timeout | null = null;
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  async function attempt(d: WebhookDelivery): Promise<void> {
    const t = deps.store.getTrajectory(d.trajectory_id);
    if (!t) return repo.recordFailure(d.id, null, 'the trajectory is gone', null);
    const body = webhookBody(t, d.url, o.maxBodyBytes);
    const secret = d.secret_name ? deps.vault.get(d.secret_name) : undefined;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': `jetty-desktop/${VERSION}`,
      'X-Jetty-Delivery': String(d.id),
      'X-Jetty-Event': `run.${t.status}`,
      ...(secret ? signatureHeaders(secret, body, Math.floor(now() / 1000)) : {}),
    };
    let status: number | null = null;
    let error: string;
    try {
      const res = await fetch(d.url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(o.attemptTimeoutMs) });
      status = res.status;
      const text = await answerText(res);
      if (res.ok) {
        repo.recordDelivered(d.id, res.status);
        return settled(d);
      }
      error = `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      error = (e as Error).name === 'TimeoutError' ? `no answer within ${o.attemptTimeoutMs} ms` : (cause?.code ?? cause?.message ?? (e as Error).message);
    }
    const attempts = d.attempts + 1;
    const more = attempts < o.maxAttempts && (status === null || retryable(status));
    repo.recordFailure(d.id, status, error, more ? new Date(now() + backoffMs(attempts, o.backoff)).toISOString() : null);
    if (!more) settled(d);
  }

  /** A run's own signing secret leaves the vault once its delivery is settled (a routine's stays with the routine). */
  const settled = (d: WebhookDelivery) => {
    if (d.secret_name === runWebhookSecretName(d.trajectory_id)) deps.vault.delete(d.secret_name);
  };

  function arm(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const next = repo.nextDue();
    if (!next) return;
    timer = setTimeout(pump, Math.max(0, Math.min(Date.parse(next) - now(), 60_000)));
    timer.unref();
  }

  /**
   * Starts every due delivery (each leased for its attempt's bound, so no other pass or
   * process sends it meanwhile), each on its own: a slow receiver holds up no other.
   */
  function pump(): void {
    if (closed) return;
    const at = now();
    for (const d of repo.due(new Date(at).toISOString(), BATCH)) {
      if (inFlight.size >= BATCH) break;
      if (!repo.lease(d.id, new Date(at).toISOString(), new Date(at + o.attemptTimeoutMs + 5_000).toISOString())) continue;
      const sent = attempt(d)
        .catch((error: unknown) => console.error('A webhook delivery failed unexpectedly:', error))
        .finally(() => {
          inFlight.delete(sent);
          pump();
        });
      inFlight.add(sent);
    }
    arm();
  }

  /** Sends what is due and waits until nothing is in flight. */
  async function drain(): Promise<void> {
    pump();
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  }

  const queue = (trajectoryId: string) => {
    const status = deps.store.getTrajectoryHeader(trajectoryId)?.status;
    if (status && TERMINAL_STATUSES.has(status) && repo.enqueue(trajectoryId, status)) pump();
  };

  // What a stopped process left queued goes out now.
  pump();
  return {
    attach(trajectoryId, url, secret) {
      WebhookUrlSchema.parse(url);
      let secretName: string | null = null;
      if (secret && 'value' in secret) deps.vault.set((secretName = runWebhookSecretName(trajectoryId)), secret.value);
      else if (secret) secretName = secret.vaultName;
      repo.attach(trajectoryId, url, secretName);
      queue(trajectoryId);
    },
    trajectoryChanged(trajectoryId) {
      if (repo.webhookOf(trajectoryId) && !repo.deliveryOf(trajectoryId)) queue(trajectoryId);
    },
    deliveries: (limit = 100) => repo.recent(limit),
    deliveryOf: (trajectoryId) => repo.deliveryOf(trajectoryId),
    drain,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...inFlight]);
    },
  };
}
