import { EventLevelSchema, type EventLevel } from '../../../shared/trajectory';
import { TypedEventSchema, type TypedEvent } from '../../../shared/trajectory-events';
import { nowIso, type StoreContext } from './context';
import { StoreError } from './errors';
import type { EventRow, EventsRepository } from './events';
import { parseOrThrow } from './validate';

/** An event to append: seq is assigned by the writer, time defaults to now. */
export type NewEvent = { level: EventLevel; time?: string; step?: string | null } & TypedEvent;

export interface EventWriterOptions {
  /** Flush when this many events are buffered. Default 256. */
  maxBatch?: number;
  /** Flush buffered events at most this long after the first of them. Default 50 ms. */
  flushIntervalMs?: number;
}

/**
 * Appends the events of one trajectory in batched transactions. `append` assigns the
 * next sequence number synchronously and buffers; a batch is committed when it reaches
 * `maxBatch` events, `flushIntervalMs` after its first event, on `flush()` and on
 * `close()`. Once `flush()` returns, its events survive a crash of the process.
 */
export interface EventWriter {
  readonly trajectoryId: string;
  /** Buffers the event (redacted) and returns its sequence number. */
  append(event: NewEvent): number;
  /** Commits the buffered events now, in one transaction. */
  flush(): void;
  /** Flushes and releases the writer; appending afterwards throws. */
  close(): void;
}

const LEVELS = new Set<string>(EventLevelSchema.options);

export function createEventWriter(
  ctx: StoreContext,
  events: EventsRepository,
  trajectoryId: string,
  options: EventWriterOptions & { onClose: () => void },
): EventWriter {
  const maxBatch = options.maxBatch ?? 256;
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  let nextSeq = events.lastSeq(trajectoryId) + 1;
  let buffer: EventRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failure: Error | undefined;
  let closed = false;

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const rows = buffer;
    buffer = [];
    try {
      events.insertBatch(rows);
      failure = undefined;
    } catch (error) {
      buffer = rows.concat(buffer);
      failure = new StoreError(
        'write_failed',
        `Could not store ${rows.length} events of trajectory ${trajectoryId}: ${(error as Error).message}`,
        { cause: error },
      );
      throw failure;
    }
    ctx.changes.emit({ table: 'events', trajectoryId });
  };

  // A failed timed flush keeps its events buffered; the next append retries and, if the
  // database still refuses, throws to the producer.
  const flushOnTimer = (): void => {
    try {
      flush();
    } catch {
      // kept in `failure`
    }
  };

  const toRow = (seq: number, event: NewEvent): EventRow => {
    if (!LEVELS.has(event.level)) throw invalidEvent(trajectoryId, 'level', event.level);
    parseOrThrow(TypedEventSchema, { type: event.type, payload: event.payload }, `event for trajectory ${trajectoryId}`);
    const redactor = ctx.redactorFor(trajectoryId);
    const step = event.step ?? null;
    return [
      trajectoryId,
      seq,
      event.time ?? nowIso(),
      event.level,
      event.type,
      step === null ? null : redactor.redact(step),
      redactor.redactJson(event.payload),
    ];
  };

  return {
    trajectoryId,
    append(event) {
      if (closed) throw new StoreError('closed', `The event writer of trajectory ${trajectoryId} is closed.`);
      if (failure) flush();
      const row = toRow(nextSeq, event);
      buffer.push(row);
      nextSeq += 1;
      if (buffer.length >= maxBatch) flush();
      else timer ??= setTimeout(flushOnTimer, flushIntervalMs);
      return row[1];
    },
    flush,
    close() {
      if (closed) return;
      flush();
      closed = true;
      options.onClose();
    },
  };
}

const invalidEvent = (trajectoryId: string, field: string, value: unknown): StoreError =>
  new StoreError('invalid_input', `Invalid event for trajectory ${trajectoryId}: bad ${field}: ${String(value)}.`);
