import { nowIso, type StoreContext } from './context';

/** What the outbox delivers: a deploy, a remote run or a label. */
export type OutboxKind = 'deploy' | 'run' | 'label';

/** One item waiting for the remote: `pending` (retried), or `failed` for good (a 4xx) until retried or dropped. */
export interface OutboxItem {
  seq: number;
  kind: OutboxKind;
  base_url: string;
  /** One line for people: "deploy demo/hello-report", "label ok=yes on 1a2b3c4d". */
  summary: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
  state: 'pending' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewOutboxItem {
  kind: OutboxKind;
  base_url: string;
  summary: string;
  /** Never secret values: name secrets, read their values when delivering. */
  payload: Record<string, unknown>;
  idempotency_key: string;
}

type Row = Omit<OutboxItem, 'payload'> & { payload: string };

/**
 * The cloud outbox (migration 5): items in the order they were made; each is removed
 * once delivered. An item added twice under the same idempotency key is stored once.
 */
export function outboxRepository(ctx: StoreContext) {
  const sql = {
    add: ctx.db.prepare(`
      INSERT INTO cloud_outbox (kind, base_url, summary, payload, idempotency_key, state, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`),
    byKey: ctx.db.prepare<[string], Row>('SELECT * FROM cloud_outbox WHERE idempotency_key = ?'),
    bySeq: ctx.db.prepare<[number], Row>('SELECT * FROM cloud_outbox WHERE seq = ?'),
    list: ctx.db.prepare<[], Row>('SELECT * FROM cloud_outbox ORDER BY seq'),
    attempt: ctx.db.prepare('UPDATE cloud_outbox SET attempts = attempts + 1, last_error = ?, state = ?, updated_at = ? WHERE seq = ?'),
    retry: ctx.db.prepare("UPDATE cloud_outbox SET state = 'pending', updated_at = ? WHERE seq = ?"),
    remove: ctx.db.prepare('DELETE FROM cloud_outbox WHERE seq = ?'),
  };
  const parse = (row: Row | undefined): OutboxItem | null => (row ? { ...row, payload: JSON.parse(row.payload) as Record<string, unknown> } : null);

  return {
    /** Queues an item (once per idempotency key); returns it as stored. */
    add(item: NewOutboxItem): OutboxItem {
      const now = nowIso();
      sql.add.run(item.kind, item.base_url, item.summary, JSON.stringify(item.payload), item.idempotency_key, now, now);
      return parse(sql.byKey.get(item.idempotency_key))!;
    },
    /** Every item, oldest first. */
    list: (): OutboxItem[] => sql.list.all().map((r) => parse(r)!),
    get: (seq: number): OutboxItem | null => parse(sql.bySeq.get(seq)),
    /** Records a failed delivery: still pending (it will be retried), or failed for good. */
    recordFailure(seq: number, error: string, state: 'pending' | 'failed'): void {
      sql.attempt.run(error, state, nowIso(), seq);
    },
    /** Puts a failed item back in the queue. False if there is none. */
    retry: (seq: number): boolean => sql.retry.run(nowIso(), seq).changes > 0,
    /** Removes an item (delivered, or dropped by the user). False if there was none. */
    remove: (seq: number): boolean => sql.remove.run(seq).changes > 0,
  };
}
export type Outbox = ReturnType<typeof outboxRepository>;
