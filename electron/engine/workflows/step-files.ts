import { mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extension as extensionOf } from 'mime-types';
import type { StepFile } from './templates/types';

/** Image and video types by their first bytes, for answers that carry bytes without a type (base64 images). */
export function sniffMediaType(bytes: Uint8Array): string | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 16));
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.toString('latin1', 0, 4) === 'GIF8') return 'image/gif';
  if (b.toString('latin1', 4, 8) === 'ftyp') return 'video/mp4';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'video/webm';
  return null;
}

/** A name as one segment of a storage path: characters other than letters, digits, `._-` replaced, no leading dot. */
export const safeSegment = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';

/**
 * Writes a step's output file under the files root (served by `GET /api/v1/file/{path}`) at
 * `<collection>/outputs/<workflow id>/<step>/<name>.<extension>`; returns its storage path.
 */
export async function saveStepFile(root: string, where: { collection: string; workflowId: string; step: string }, name: string, bytes: Uint8Array, contentType: string | null): Promise<StepFile> {
  const type = contentType?.split(';')[0].trim() || sniffMediaType(bytes) || 'application/octet-stream';
  const extension = extensionOf(type) || 'bin';
  const relative = [where.collection, 'outputs', where.workflowId, where.step, `${name}.${extension}`].map(safeSegment).join('/');
  const file = path.join(root, ...relative.split('/'));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return { path: relative, extension, content_type: type, size: bytes.length };
}

/** A stored file named by its storage path (as earlier steps output them), or null when there is none inside the root. */
export async function storedFile(root: string, relative: string): Promise<string | null> {
  if (relative === '' || relative.includes('\0') || path.posix.isAbsolute(relative) || relative.split('/').includes('..')) return null;
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path.join(root, ...relative.split('/')))]);
    return real.startsWith(realRoot + path.sep) && (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
