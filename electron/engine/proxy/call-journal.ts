import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { CapturedCall } from './call-summary';

/**
 * The passthrough's journal: every finished call is appended to a segment file by the
 * request path, before the last byte of its response, so a call the client saw answered
 * survives a crash of the process (the OS holds the written pages; like SQLite's
 * `synchronous=NORMAL`, only power loss can drop the last moments). The recording thread
 * stores the frames and deletes each segment once everything in it is committed.
 *
 * Layout: `<root>/<writer>/<seq>.jnl`, one folder per open proxy (with an `owner` file
 * naming its process), segments numbered in order. A frame is
 * `u32 length-of-rest, u32 header-length, header JSON, request bytes, response bytes`.
 */
export const SEGMENT_SUFFIX = '.jnl';
export const OWNER_FILE = 'owner';

type FrameHeader = Omit<CapturedCall, 'request' | 'chunks'> & { requestBytes: number };

const byteLength = (chunks: Uint8Array[]): number => chunks.reduce((total, chunk) => total + chunk.length, 0);

/** One call as one buffer, ready for a single write. */
export function encodeFrame(call: CapturedCall): Buffer {
  const { request, chunks, ...rest } = call;
  const header = Buffer.from(JSON.stringify({ ...rest, requestBytes: request.length } satisfies FrameHeader));
  const total = 8 + header.length + request.length + byteLength(chunks);
  const frame = Buffer.allocUnsafe(total);
  frame.writeUInt32LE(total - 4, 0);
  frame.writeUInt32LE(header.length, 4);
  let at = 8 + header.copy(frame, 8);
  frame.set(request, at);
  at += request.length;
  for (const chunk of chunks) {
    frame.set(chunk, at);
    at += chunk.length;
  }
  return frame;
}

/**
 * The whole frames in `bytes` (a segment from some offset on) and how many bytes they
 * span. Stops at a frame that is cut short (still being written, or torn by a crash: a
 * call whose response was never completed) or malformed.
 */
export function decodeFrames(bytes: Buffer): { calls: CapturedCall[]; consumed: number } {
  const calls: CapturedCall[] = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    const rest = bytes.readUInt32LE(at);
    const headerBytes = bytes.readUInt32LE(at + 4);
    if (rest < 4 + headerBytes || at + 4 + rest > bytes.length) break;
    let header: FrameHeader;
    try {
      header = JSON.parse(bytes.toString('utf8', at + 8, at + 8 + headerBytes)) as FrameHeader;
    } catch {
      break;
    }
    const body = at + 8 + headerBytes;
    const { requestBytes, ...call } = header;
    if (body + requestBytes > at + 4 + rest) break;
    // Frames journaled before the gateway spoke other APIs carry neither field: chat completions, no run.
    const origin = { api: call.api ?? 'chat-completions', runId: call.runId ?? null };
    calls.push({ ...call, ...origin, request: bytes.subarray(body, body + requestBytes), chunks: [bytes.subarray(body + requestBytes, at + 4 + rest)] });
    at += 4 + rest;
  }
  return { calls, consumed: at };
}

/** The segment files of a writer's folder, oldest first. */
export function listSegments(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(SEGMENT_SUFFIX))
    .sort()
    .map((name) => path.join(dir, name));
}

/** The bytes of `file` from `offset` to its current end. */
export function readFrom(file: string, offset: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.allocUnsafe(Math.max(0, size - offset));
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

export interface JournalWriter {
  /** This writer's folder. */
  readonly dir: string;
  /** Appends one call with one write; throws (ENOSPC, …) when it could not be written whole. */
  append(call: CapturedCall): void;
  /** Closes the current segment (its frames stay for the recording thread). */
  close(): void;
}

const segmentName = (seq: number) => `${String(seq).padStart(10, '0')}${SEGMENT_SUFFIX}`;

/**
 * Opens a writer's folder under `root` and appends calls to its segments, starting a new
 * segment once the current one is `rotateMs` old, so committed segments can be deleted
 * while the proxy keeps writing. A failed append is cut off again (or, if that fails too,
 * the next append starts a new segment), so no torn frame is followed by whole ones.
 */
export function openJournalWriter(root: string, options: { name: string; owner: string; rotateMs: number }): JournalWriter {
  const dir = path.join(root, options.name);
  // Made under a hidden name and renamed, so recovery never sees a folder without its owner.
  const making = path.join(root, `.${options.name}`);
  mkdirSync(making, { recursive: true });
  writeFileSync(path.join(making, OWNER_FILE), options.owner);
  renameSync(making, dir);
  let seq = 0;
  let fd: number | null = null;
  let openedAt = 0;
  let size = 0;

  const rotate = (now: number) => {
    const next = openSync(path.join(dir, segmentName(++seq)), 'a');
    if (fd !== null) closeSync(fd);
    fd = next;
    openedAt = now;
    size = 0;
  };

  return {
    dir,
    append(call) {
      const frame = encodeFrame(call);
      const now = call.endedAt;
      if (fd === null || (size > 0 && now - openedAt >= options.rotateMs)) rotate(now);
      let written = 0;
      try {
        written = writeSync(fd!, frame);
      } finally {
        if (written === frame.length) size += written;
        else {
          try {
            ftruncateSync(fd!, size);
          } catch {
            closeSync(fd!);
            fd = null;
          }
        }
      }
      if (written !== frame.length) throw Object.assign(new Error(`ENOSPC: no space left for the journal (${written} of ${frame.length} bytes written)`), { code: 'ENOSPC' });
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
