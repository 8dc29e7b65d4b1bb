import { nowIso, type StoreContext, writeTransaction } from './context';

/** A run's webhook: where its end is POSTed, and the vault entry of its signing secret. */
export interface RunWebhook {
  trajectory_id: string;
  url: string;
  secret_name: string | null;
  created_at: string;
}

/** One webhook delivery (migration 14), as the API and the UI show it. */
export interface WebhookDelivery {
  id: number;
  trajectory_id: string;
  url: string;
  secret_name: string | null;
  run_status: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Run webhooks and the durable queue of their deliveries (one per run). */
export function webhooksRepository(ctx: StoreContext) {
  const db = ctx.db;
  const sql = {
    attach: db.prepare(`INSERT INTO run_webhooks (trajectory_id, url, secret_name, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (trajectory_id) DO UPDATE SET url = excluded.url, secret_name = excluded.secret_name`),
    webhook: db.prepare<[string], RunWebhook>('SELECT * FROM run_webhooks WHERE trajectory_id = ?'),
    enqueue: db.prepare(`INSERT INTO webhook_deliveries (trajectory_id, url, secret_name, run_status, state, next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (trajectory_id) DO NOTHING`),
    due: db.prepare<[string, number], WebhookDelivery>("SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"),
    next: db.prepare<[], { at: string | null }>("SELECT min(next_attempt_at) AS at FROM webhook_deliveries WHERE state = 'pending'"),
    delivery: db.prepare<[string], WebhookDelivery>('SELECT * FROM webhook_deliveries WHERE trajectory_id = ?'),
    lease: db.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?"),
    recent: db.prepare<[number], WebhookDelivery>('SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?'),
    delivered: db.prepare("UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?"),
    failed: db.prepare('UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?'),
  };
  const redact = (text: string) => ctx.redactorFor('').redact(text);
  return {
    /** Sets a run's webhook (a second call replaces it). */
    attach(trajectoryId: string, url: string, secretName: string | null): void {
      sql.attach.run(trajectoryId, redact(url), secretName, nowIso());
    },
    webhookOf: (trajectoryId: string): RunWebhook | null => sql.webhook.get(trajectoryId) ?? null,
    /** Queues the delivery of a run's end (once per run); false when it was queued before. */
    enqueue: writeTransaction(db, (trajectoryId: string, runStatus: string): boolean => {
      const hook = sql.webhook.get(trajectoryId);
      if (!hook) return false;
      const now = nowIso();
      return sql.enqueue.run(trajectoryId, hook.url, hook.secret_name, runStatus, now, now).changes > 0;
    }),
    /** Pending deliveries whose time has come, oldest first. */
    due: (now: string, limit: number): WebhookDelivery[] => sql.due.all(now, limit),
    /** When the next pending delivery is due, if any. */
    nextDue: (): string | null => sql.next.get()?.at ?? null,
    /** Takes a due delivery for one attempt, until `until` (another process, or another pass, leaves it alone till then); false when it is not due. */
    lease: (id: number, now: string, until: string): boolean => sql.lease.run(until, id, now).changes > 0,
    deliveryOf: (trajectoryId: string): WebhookDelivery | null => sql.delivery.get(trajectoryId) ?? null,
    recent: (limit: number): WebhookDelivery[] => sql.recent.all(limit),
    recordDelivered(id: number, status: number): void {
      sql.delivered.run(status, nowIso(), id);
    },
    /** Records a failed attempt: pending again at `nextAttemptAt`, or failed for good (`nextAttemptAt` null). */
    recordFailure(id: number, status: number | null, error: string, nextAttemptAt: string | null): void {
      sql.failed.run(nextAttemptAt ? 'pending' : 'failed', status, redact(error), nextAttemptAt ?? nowIso(), id);
    },
  };
}
export type Webhooks = ReturnType<typeof webhooksRepository>;
