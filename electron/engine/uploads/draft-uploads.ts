import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, opendir, readdir, readFile, realpath, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RunInputsSchema, UPLOAD_ID_PATTERN, type RunInputs, type UploadInfo } from '../../../shared/uploads';
import { fileNameProblem } from './file-names';

/** The largest file one upload may hold. */
export const MAX_DRAFT_UPLOAD_BYTES = 256 * 1024 * 1024;

/** Why an upload, an upload id or an input file was refused; the message is safe to show. */
export class UploadError extends Error {
  constructor(
    readonly status: 400 | 404 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** An upload that is not there (any more): a draft no run used is removed after a day. */
const uploadGone = (id: string) => new UploadError(404, `no upload ${id} (uploads no run used are removed after a day: choose the file again)`);

/** A client's file name, refused unless it is one plain segment (see `fileNameProblem`). */
export function checkUploadName(name: string): string {
  const problem = fileNameProblem(name);
  if (problem) throw new UploadError(400, `upload refused: ${problem} (?name=…)`);
  return name;
}

/** Counts the bytes going through and fails the stream past `max`. */
async function* bounded(source: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > max) throw new UploadError(413, `the file is larger than the upload limit of ${max} bytes`);
    yield chunk;
  }
}

/**
 * Files uploaded for a run that is being drafted, one folder each: `<dataDir>/uploads/<id>/<name>`.
 * An id resolves only to the file inside its own folder. Which uploads a run used, and its
 * runbook, are kept in `<dataDir>/run-inputs/<trajectory id>.json`, so it can be run again.
 * An upload no such record names is a draft; a folder's time is when it was made or last
 * taken by a run, so old drafts can be removed (`removeDraft`) without racing a run taking one.
 */
export function draftUploads(dataDir: string, maxBytes = MAX_DRAFT_UPLOAD_BYTES) {
  const root = path.join(dataDir, 'uploads');
  const records = path.join(dataDir, 'run-inputs');

  /** Uploads being taken by a starting run, and drafts being removed: each waits out the other. */
  const taking = new Set<string>();
  const removing = new Set<string>();

  /** A new upload named `name`, its file written by `put`; nothing is left behind when `put` fails. */
  async function newUpload(name: string, put: (file: string) => Promise<void>): Promise<UploadInfo> {
    const id = randomBytes(8).toString('hex');
    const dir = path.join(root, id);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    try {
      await put(file);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return { id, name, size: (await stat(file)).size };
  }

  /** The upload an id names and the path of its file; refuses ids that are not upload ids or name nothing. */
  async function resolve(id: string): Promise<{ upload: UploadInfo; path: string }> {
    if (!UPLOAD_ID_PATTERN.test(id)) throw new UploadError(400, `'${id}' is not an upload id`);
    const dir = path.join(root, id);
    const names = await readdir(dir).catch(() => null);
    if (names === null) throw uploadGone(id);
    if (names.length !== 1) throw new UploadError(404, `no upload ${id}`);
    const file = await realpath(path.join(dir, names[0])).catch(() => null);
    const info = file === null ? null : await stat(file);
    if (!file?.startsWith((await realpath(root)) + path.sep) || !info?.isFile()) throw new UploadError(404, `no upload ${id}`);
    return { upload: { id, name: names[0], size: info.size }, path: file };
  }

  return {
    maxBytes,
    resolve,
    /** As `resolve`, for a run starting with the upload: its folder's time becomes now, so no sweep of old drafts removes it. */
    async take(id: string): Promise<{ upload: UploadInfo; path: string }> {
      if (removing.has(id)) throw uploadGone(id);
      taking.add(id);
      try {
        const found = await resolve(id);
        const now = new Date();
        await utimes(path.join(root, id), now, now);
        return found;
      } finally {
        taking.delete(id);
      }
    },

    /** Streams `body` into a new upload named `name`; refuses bad names and files past the limit (nothing is left behind). */
    async save(name: string, body: Readable): Promise<UploadInfo> {
      checkUploadName(name);
      return newUpload(name, (file) => pipeline(body, (source: AsyncIterable<Buffer>) => bounded(source, maxBytes), createWriteStream(file, { flags: 'wx' })));
    },

    /** Copies a readable host file into a new upload (a desktop pick, an example input). */
    async importFile(hostPath: string): Promise<UploadInfo> {
      const info = await stat(hostPath).catch(() => null);
      if (!info?.isFile()) throw new UploadError(400, `${hostPath} is not a readable file`);
      if (info.size > maxBytes) throw new UploadError(413, `${hostPath} is larger than the upload limit of ${maxBytes} bytes`);
      return newUpload(path.basename(hostPath), (file) =>
        copyFile(hostPath, file).catch((error: Error) => {
          throw new UploadError(400, `${hostPath} cannot be read: ${error.message}`);
        }),
      );
    },

    /** Makes a file the engine received itself (a REST run's input, in the data folder) an upload too: linked, or copied where a link cannot be made. */
    adopt: (file: string): Promise<UploadInfo> => newUpload(path.basename(file), (dest) => link(file, dest).catch(() => copyFile(file, dest))),

    /** Every upload folder's id and the time it was made or last taken by a run (ms). */
    async *folders(): AsyncGenerator<{ id: string; usedAt: number }> {
      const dir = await opendir(root).catch(() => null);
      if (!dir) return;
      for await (const entry of dir) {
        if (!entry.isDirectory() || !UPLOAD_ID_PATTERN.test(entry.name)) continue;
        const info = await stat(path.join(root, entry.name)).catch(() => null);
        if (info) yield { id: entry.name, usedAt: info.mtimeMs };
      }
    },

    /** The ids of the uploads some run's record names (those are not drafts). */
    async referenced(): Promise<Set<string>> {
      const ids = new Set<string>();
      const names = await readdir(records).catch(() => []);
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const text = await readFile(path.join(records, name), 'utf8').catch(() => null);
        const kept = text === null ? null : RunInputsSchema.safeParse(safeJson(text));
        for (const f of kept?.success ? kept.data.files : []) ids.add(f.id);
      }
      return ids;
    },

    /**
     * Removes draft `id` unless a run is taking it or took it after `cutoff` (its folder's time);
     * the caller has checked that no record names it. Resolves whether it was removed.
     */
    async removeDraft(id: string, cutoff: number): Promise<boolean> {
      if (!UPLOAD_ID_PATTERN.test(id) || taking.has(id) || removing.has(id)) return false;
      removing.add(id);
      try {
        const dir = path.join(root, id);
        const info = await stat(dir).catch(() => null);
        if (!info || info.mtimeMs > cutoff) return false;
        await rm(dir, { recursive: true, force: true });
        return true;
      } finally {
        removing.delete(id);
      }
    },

    /** Records a run's runbook and uploads, for Re-run. */
    async remember(trajectoryId: string, inputs: RunInputs): Promise<void> {
      await mkdir(records, { recursive: true });
      await writeFile(path.join(records, `${path.basename(trajectoryId)}.json`), JSON.stringify(inputs));
    },

    /** What `remember` kept for a run, with only the uploads still there; null when nothing was kept. */
    async recall(trajectoryId: string): Promise<RunInputs | null> {
      const text = await readFile(path.join(records, `${path.basename(trajectoryId)}.json`), 'utf8').catch(() => null);
      if (text === null) return null;
      const kept = JSON.parse(text) as RunInputs;
      const files: UploadInfo[] = [];
      for (const f of kept.files) {
        const found = await resolve(f.id).catch(() => null);
        if (found) files.push(found.upload);
      }
      return { runbookPath: kept.runbookPath, files };
    },
  };
}

export type DraftUploads = ReturnType<typeof draftUploads>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
