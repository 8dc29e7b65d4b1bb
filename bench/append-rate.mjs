// Not a bench of its own: the append-rate measurement bench/store.mjs and bench/search.mjs
// share. Durable event appends per second into a fresh store file: through the store's
// EventWriter (redaction check, seq assignment, buffering, batched transactions, and
// whatever indexes the schema has) and through a raw better-sqlite3 loop inserting the same
// rows into the same schema with the same pragmas and batch size.
import path from 'node:path';
import { openDatabase } from '../electron/engine/store/connection.ts';
import { openStore } from '../electron/engine/store/index.ts';

/** `eventAt(i)` makes the i-th event (0-based); each measurement writes `events` of them to a new file in `dir`. */
export function appendRates(dir, { events, batch, eventAt }) {
  let fileNo = 0;
  /** A fresh database file holding the schema and one trajectory; its path and id. */
  function freshFile() {
    const file = path.join(dir, `append-${fileNo++}.db`);
    const store = openStore(file);
    const { id } = store.createTrajectory({ collection: 'bench', task: 'append', kind: 'runbook', status: 'running' });
    store.close();
    return { file, id };
  }
  const perSecond = (start) => events / (Number(process.hrtime.bigint() - start) / 1e9);
  return {
    /** Through the store, the trajectory's secrets registered first when given. */
    store(secrets) {
      const { file, id } = freshFile();
      const store = openStore(file);
      if (secrets) store.registerSecrets(id, secrets);
      const writer = store.eventWriter(id, { maxBatch: batch, flushIntervalMs: 60_000 });
      const start = process.hrtime.bigint();
      for (let i = 0; i < events; i++) writer.append(eventAt(i));
      writer.flush();
      const rate = perSecond(start);
      store.close();
      return rate;
    },
    /** The raw loop, on the store's own connection settings (WAL, synchronous, cache, checkpoints…), nothing more. */
    raw() {
      const { file, id } = freshFile();
      const db = openDatabase(file);
      const insert = db.prepare('INSERT INTO events (trajectory_id, seq, time, level, type, step, payload) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const insertBatch = db.transaction((rows) => {
        for (const row of rows) insert.run(...row);
      });
      const start = process.hrtime.bigint();
      let rows = [];
      for (let i = 0; i < events; i++) {
        const e = eventAt(i);
        rows.push([id, i + 1, new Date().toISOString(), e.level, e.type, e.step, JSON.stringify(e.payload)]);
        if (rows.length === batch) {
          insertBatch(rows);
          rows = [];
        }
      }
      insertBatch(rows);
      const rate = perSecond(start);
      db.close();
      return rate;
    },
  };
}
