import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TRAJECTORY_FORMAT_VERSION } from '../../../shared/trajectory';
import { StoreError, type Store } from '../store';

const EVENTS_PER_PAGE = 1000;

const indented = (json: string, spaces: number) => json.replace(/\n/g, `\n${' '.repeat(spaces)}`);

/**
 * A trajectory's export (the cloud's shape, byte for byte what
 * `JSON.stringify(store.exportTrajectory(id), null, 2)` gives) as text chunks: the header,
 * steps, labels and artifacts first, then the events a page at a time, so a trajectory of
 * any length is written out without its document held whole in memory.
 */
export async function* exportChunks(store: Store, id: string, eventsPerPage = EVENTS_PER_PAGE): AsyncGenerator<string> {
  store.flushEvents(id);
  const trajectory = store.getTrajectory(id);
  if (!trajectory) throw new StoreError('not_found', `No trajectory with id '${id}' to export.`);
  const total = store.countEvents(id);
  const { steps, labels, artifacts, ...header } = trajectory;
  const head = JSON.stringify({ format_version: TRAJECTORY_FORMAT_VERSION, ...header, steps, labels, artifacts }, null, 2);
  yield `${head.slice(0, -2)},\n  "events": [`;
  let afterSeq = Number.MIN_SAFE_INTEGER;
  let written = 0;
  // Bounded by the count taken at the start (events appended later are not part of this export).
  for (let page = 0; written < total && page <= Math.ceil(total / eventsPerPage); page++) {
    const events = store.listEvents(id, { afterSeq, limit: Math.min(eventsPerPage, total - written) });
    if (events.length === 0) break;
    yield events.map((e, i) => `${written + i === 0 ? '' : ','}\n    ${indented(JSON.stringify(e, null, 2), 4)}`).join('');
    written += events.length;
    afterSeq = events[events.length - 1].seq;
  }
  const conversations = store.conversations();
  const tail = JSON.stringify({ rendered_runbook: conversations.renderedRunbook(id), conversation: conversations.export(id) }, null, 2);
  yield `${written === 0 ? ']' : '\n  ]'},\n${tail.slice(2)}`;
}

/**
 * Writes a trajectory's export to `destination` as `exportChunks` makes it (a page of
 * events at a time), hashing as it goes: the one function behind every export that is
 * not stdout (a download over HTTP, a file the user chose, the snapshot sent to storage).
 */
export async function writeExport(store: Store, id: string, destination: Writable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  async function* hashed() {
    for await (const chunk of exportChunks(store, id)) {
      const bytes = Buffer.from(chunk);
      hash.update(bytes);
      size += bytes.length;
      yield bytes;
    }
  }
  await pipeline(Readable.from(hashed()), destination);
  return { size, sha256: hash.digest('hex') };
}

/** Writes the export to `file` through a temp file beside it, renamed in: a reader never sees half a document. */
export async function writeExportFile(store: Store, id: string, file: string): Promise<{ size: number; sha256: string }> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.part-${randomBytes(4).toString('hex')}`;
  try {
    const written = await writeExport(store, id, createWriteStream(temp));
    await rename(temp, file);
    return written;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
