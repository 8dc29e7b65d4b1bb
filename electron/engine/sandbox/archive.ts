import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mime from 'mime-types';
import tar from 'tar-stream';
import type { Artifact } from '../../../shared/trajectory';
import { SandboxError } from './errors';

/** One entry to put into a container: inline content, a local file, or a directory. */
export type TarInput =
  | { type: 'file'; path: string; content: string | Buffer; mode?: number }
  | { type: 'file'; path: string; sourcePath: string; mode?: number }
  | { type: 'directory'; path: string };

/**
 * Checks a name that becomes a path under a folder (an asset name, a result path):
 * relative, no `..`, no NUL or backslash. Returns it normalised (`a//b/` → `a/b`).
 */
export function safeRelativePath(name: string, what = 'path'): string {
  if (!name || name.includes('\0') || name.includes('\\')) {
    throw new SandboxError(`Invalid ${what} "${name}": use a relative path with "/" separators`);
  }
  if (name.startsWith('/')) throw new SandboxError(`Invalid ${what} "${name}": absolute paths are not allowed`);
  const normal = path.posix.normalize(name).replace(/\/+$/, '');
  if (normal === '.' || normal === '..' || normal.startsWith('../') || name.split('/').includes('..')) {
    throw new SandboxError(`Invalid ${what} "${name}": ".." is not allowed (it would leave the folder)`);
  }
  return normal;
}

/**
 * A local file to copy in that could not be read, said without its folder (no host path in a
 * run's error, and no `code` that would read as Docker's own: ENOENT is also "no Docker socket").
 */
function unreadableSource(error: Error): Error {
  const { code, path: file } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof file !== 'string') return error;
  return new SandboxError(`a file to copy into the sandbox could not be read (${code}): ${path.basename(file)}`);
}

/** A tar stream of the entries, written lazily as the consumer reads. */
export function packTar(entries: TarInput[]): Readable {
  const pack = tar.pack();
  void (async () => {
    for (const entry of entries) await addEntry(pack, entry);
    pack.finalize();
  })().catch((error: Error) => pack.destroy(unreadableSource(error)));
  return Readable.from(pack);
}

async function addEntry(pack: tar.Pack, entry: TarInput): Promise<void> {
  if (entry.type === 'directory') return writeEntry(pack, { name: entry.path, type: 'directory', mode: 0o755 });
  const mode = entry.mode ?? 0o644;
  if ('content' in entry) return writeEntry(pack, { name: entry.path, mode }, entry.content);
  const { size } = await stat(entry.sourcePath);
  return writeEntry(pack, { name: entry.path, size, mode }, createReadStream(entry.sourcePath));
}

function writeEntry(pack: tar.Pack, header: Partial<tar.Header> & { name: string }, body?: string | Buffer | Readable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (body === undefined) pack.entry(header, done);
    else if (typeof body === 'string' || Buffer.isBuffer(body)) pack.entry(header, body, done);
    else body.on('error', reject).pipe(pack.entry(header, done));
  });
}

export interface ExtractLimits {
  /** Total bytes of all files; going over fails the extraction. */
  maxBytes: number;
  maxFiles: number;
}

/** A per-file stage the contents stream through on their way to disk (redaction); null for none. */
export type ContentFilter = (relativePath: string) => Transform | null;

export interface ExtractedTree {
  artifacts: Artifact[];
  /** Entries not copied (links, devices, unsafe names), with the reason. */
  skipped: { path: string; reason: string }[];
}

/**
 * Extracts a tar from `docker getArchive` of a folder into `dest`, dropping the folder's
 * own name (`results/a.md` → `dest/a.md`). Only regular files and directories are created:
 * links are skipped (so nothing can point outside `dest`), as are unsafe names. Each
 * file's contents stream through `filter` when given.
 */
export async function extractTree(archive: Readable, dest: string, limits: ExtractLimits, filter?: ContentFilter): Promise<ExtractedTree> {
  const root = path.resolve(dest);
  await mkdir(root, { recursive: true });
  const result: ExtractedTree = { artifacts: [], skipped: [] };
  let totalBytes = 0;
  const extract = tar.extract();
  archive.pipe(extract);
  archive.on('error', (error) => extract.destroy(error));
  for await (const entry of extract) {
    const inner = entry.header.name.split('/').slice(1).join('/');
    const type = entry.header.type;
    if (!inner) {
      entry.resume();
      continue;
    }
    const relative = checkedPath(inner, root);
    if (relative === null || (type !== 'file' && type !== 'directory')) {
      result.skipped.push({ path: inner, reason: relative === null ? 'unsafe path' : `${type} not copied` });
      entry.resume();
      continue;
    }
    const target = path.join(root, relative);
    if (type === 'directory') {
      await mkdir(target, { recursive: true });
      entry.resume();
      continue;
    }
    if (result.artifacts.length >= limits.maxFiles) {
      throw new SandboxError(`Too many result files: more than ${limits.maxFiles} (the limit)`);
    }
    await mkdir(path.dirname(target), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (totalBytes + size > limits.maxBytes) {
          callback(new SandboxError(`Results exceed the size limit of ${limits.maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // Size and sha256 are of what is written: the filtered contents.
    await pipeline(entry, filter?.(relative) ?? new PassThrough(), meter, createWriteStream(target, { flags: 'wx', mode: 0o644 }));
    totalBytes += size;
    result.artifacts.push({
      path: relative,
      size,
      sha256: hash.digest('hex'),
      media_type: mime.lookup(relative) || 'application/octet-stream',
    });
  }
  return result;
}

/** The contents of the first file in a tar (`docker getArchive` of one file), capped at `maxBytes`. */
export async function readFirstFile(archive: Readable, maxBytes: number, what: string): Promise<Buffer> {
  const extract = tar.extract();
  archive.pipe(extract);
  archive.on('error', (error) => extract.destroy(error));
  for await (const entry of extract) {
    if (entry.header.type !== 'file') {
      entry.resume();
      if (entry.header.type === 'directory') throw new SandboxError(`${what} is a directory, not a file`);
      continue;
    }
    const size = entry.header.size ?? 0;
    if (size > maxBytes) {
      entry.resume();
      throw new SandboxError(`${what} is ${size} bytes, over the ${maxBytes}-byte read limit`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  throw new SandboxError(`${what} is not a regular file`);
}

function checkedPath(name: string, root: string): string | null {
  try {
    const relative = safeRelativePath(name);
    const target = path.resolve(root, relative);
    return target.startsWith(root + path.sep) ? relative : null;
  } catch {
    return null;
  }
}
