/**
 * A runbook's folder on its way to another Jetty, as one tar: packed by the sender from the
 * files `runbookFolder` lists (with their modes), unpacked by the receiver into a folder of
 * its own. The receiver trusts nothing in it: only regular files (and folders) with plain
 * relative names, each once, within the folder bounds a local run has; anything else
 * refuses the whole archive, saying which entry and why, and leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { MAX_FOLDER_BYTES, MAX_FOLDER_FILES } from '../runbook/folder';
import { packTar } from '../sandbox/archive';

/** The media type of a folder archive (`PUT /tasks/{c}/{t}/folder`). */
export const FOLDER_ARCHIVE_TYPE = 'application/x-tar';
/** An archive of a folder within its bounds is its bytes plus at most this much per file (headers, long names, padding). */
const PER_FILE_OVERHEAD = 3 * 512 + 1024;
/** The most bytes a folder archive may hold: the folder's bounds and tar's overhead. */
export const MAX_FOLDER_ARCHIVE_BYTES = MAX_FOLDER_BYTES + MAX_FOLDER_FILES * PER_FILE_OVERHEAD + 1024;
/** The longest path a folder's file may have, and one of its segments. */
const MAX_PATH_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;

/** One file of a folder as it travels: its path in the folder, its bytes and whether it is executable. */
export interface FolderEntry {
  path: string;
  content: Buffer;
  mode: number;
}

/** One file of an unpacked folder. */
export interface UnpackedFile {
  path: string;
  size: number;
  mode: number;
  sha256: string;
}

/** A folder archive refused: which entry and why (safe to show the sender). */
export class FolderArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderArchiveError';
  }
}

/** The mode a file keeps: executable by its owner or not. */
export const fileMode = (mode: number): number => ((mode & 0o100) !== 0 ? 0o755 : 0o644);

/** A tar of the folder's files (their paths and modes). */
export const packFolder = (entries: readonly FolderEntry[]): Readable =>
  packTar(entries.map((e) => ({ type: 'file' as const, path: e.path, content: e.content, mode: fileMode(e.mode) })));

/**
 * A path inside the folder as a list of segments, or why it is not one: relative, "/"
 * separators, no "." or ".." segments, no NUL, control or backslash characters, bounded.
 */
export function folderPathProblem(name: string): string | null {
  if (name.length === 0) return 'an empty name';
  if (name.length > MAX_PATH_LENGTH) return `a name longer than ${MAX_PATH_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f\\]/.test(name)) return 'a name with a control character or a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute name';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'a name with an empty, "." or ".." segment';
  if (segments.some((s) => s.length > MAX_SEGMENT_LENGTH)) return `a name with a segment longer than ${MAX_SEGMENT_LENGTH} characters`;
  return null;
}

/** Fails the stream once more than `max` bytes went through. */
function byteLimit(max: number, what: () => string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(new FolderArchiveError(what()));
      else callback(null, chunk);
    },
  });
}

/**
 * Unpacks a folder archive into `dest` (created; it must not exist yet). Refuses, removing
 * `dest`, an archive past MAX_FOLDER_ARCHIVE_BYTES, with more than MAX_FOLDER_FILES files or
 * MAX_FOLDER_BYTES bytes, with an entry that is not a file or folder (a link, a device), a
 * bad name (see folderPathProblem) or a name given twice.
 */
export async function unpackFolder(archive: Readable, dest: string): Promise<{ files: UnpackedFile[]; bytes: number }> {
  const root = path.resolve(dest);
  await mkdir(root);
  const files: UnpackedFile[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  const extract = tar.extract();
  const limited = byteLimit(MAX_FOLDER_ARCHIVE_BYTES, () => `the folder's archive is larger than ${MAX_FOLDER_ARCHIVE_BYTES} bytes`);
  const feeding = pipeline(archive, limited, extract).catch((error: unknown) => {
    extract.destroy(error as Error);
  });
  try {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      const problem = folderPathProblem(name);
      if (problem) throw new FolderArchiveError(`the folder's archive holds ${problem}: ${JSON.stringify(name.slice(0, 200))}`);
      const relative = name.replace(/\/$/, '');
      const target = path.join(root, ...relative.split('/'));
      if (type === 'directory') {
        await mkdir(target, { recursive: true }).catch(() => {
          throw new FolderArchiveError(`the folder's archive holds ${relative} as a file and a folder`);
        });
        entry.resume();
        continue;
      }
      if (type !== 'file') throw new FolderArchiveError(`the folder's archive holds ${relative}, a ${type ?? 'special entry'}: only files and folders are taken`);
      if (seen.has(relative)) throw new FolderArchiveError(`the folder's archive holds ${relative} twice`);
      seen.add(relative);
      if (files.length >= MAX_FOLDER_FILES) throw new FolderArchiveError(`the folder holds more than ${MAX_FOLDER_FILES} files`);
      const declared = entry.header.size ?? 0;
      if (bytes + declared > MAX_FOLDER_BYTES) throw new FolderArchiveError(`the folder holds more than ${MAX_FOLDER_BYTES / 1024 / 1024} MiB (at ${relative})`);
      await mkdir(path.dirname(target), { recursive: true }).catch(() => {
        throw new FolderArchiveError(`the folder's archive holds ${relative} inside a file`);
      });
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      const mode = fileMode(entry.header.mode ?? 0o644);
      await pipeline(entry, meter, createWriteStream(target, { flags: 'wx', mode })).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST' || error.code === 'EISDIR') throw new FolderArchiveError(`the folder's archive holds ${relative} twice (as a file and a folder)`);
        throw error;
      });
      bytes += size;
      files.push({ path: relative, size, mode, sha256: hash.digest('hex') });
    }
    await feeding;
    return { files: files.sort((a, b) => a.path.localeCompare(b.path)), bytes };
  } catch (error) {
    extract.destroy();
    archive.resume();
    await rm(root, { recursive: true, force: true });
    if (error instanceof FolderArchiveError) throw error;
    // A broken tar (tar-stream's own errors: bad header, unexpected end) is the sender's to fix.
    if (error instanceof Error && !(error as NodeJS.ErrnoException).code) throw new FolderArchiveError(`the folder's archive cannot be read: ${error.message}`);
    throw error;
  }
}
