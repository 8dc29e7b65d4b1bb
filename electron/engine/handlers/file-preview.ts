import { createReadStream } from 'node:fs';
import { buffer } from 'node:stream/consumers';
import { isTextMediaType } from '../base/text-media';

/** The most of a file a preview shows (an artifact, a run's input file, an upload). */
export const MAX_PREVIEW_BYTES = 5 * 1024 * 1024;

/** A file's first bytes as a preview: text as it is (by its media type), anything else base64; truncated past MAX_PREVIEW_BYTES. */
export function filePreview(path: string, mediaType: string, size: number, bytes: Buffer) {
  const body = bytes.subarray(0, MAX_PREVIEW_BYTES);
  const text = isTextMediaType(mediaType);
  return {
    path,
    mediaType,
    size,
    encoding: text ? ('utf8' as const) : ('base64' as const),
    content: text ? body.toString('utf8') : body.toString('base64'),
    truncated: size > MAX_PREVIEW_BYTES || bytes.byteLength > MAX_PREVIEW_BYTES,
  };
}

/** The first MAX_PREVIEW_BYTES of a local file, and one more byte to tell a longer one. */
export const localPreviewBytes = (file: string): Promise<Buffer> => buffer(createReadStream(file, { start: 0, end: MAX_PREVIEW_BYTES }));
