import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { HttpError } from './http';

export interface ReceivedFile {
  /** The form field (`file`, `files`). */
  field: string;
  /** The client's file name reduced to a safe base name. */
  filename: string;
  contentType: string;
  size: number;
  /** Where it was written (inside the form's temp folder). */
  tempPath: string;
}

export interface ReceivedForm {
  fields: Record<string, string>;
  files: ReceivedFile[];
  /** The folder holding the files; the caller moves them out and removes it. */
  tempDir: string;
}

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const MAX_FILES = 32;
const MAX_FIELD_BYTES = 1024 * 1024;

/** A client's file name as a single safe segment: no folders, no control characters, not `.`/`..`. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}

/**
 * Reads a `multipart/form-data` request, streaming each file to `<tmpRoot>/<random>/`
 * (never into memory): 415 if the request is not multipart, 413 past the size limits.
 * On any failure the temp folder is removed.
 */
export async function readMultipart(req: IncomingMessage, tmpRoot: string, maxFileBytes = MAX_UPLOAD_BYTES): Promise<ReceivedForm> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'send multipart/form-data (curl -F), e.g. -F \'init_params={"key":"value"}\'');
  }
  const tempDir = path.join(tmpRoot, randomBytes(8).toString('hex'));
  await mkdir(tempDir, { recursive: true });
  const form: ReceivedForm = { fields: {}, files: [], tempDir };
  const writes: Promise<void>[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, files: MAX_FILES, fieldSize: MAX_FIELD_BYTES } });
      parser.on('field', (name, value, info) => {
        if (info.valueTruncated) reject(new HttpError(413, `form field '${name}' is larger than ${MAX_FIELD_BYTES} bytes`));
        form.fields[name] = value;
      });
      parser.on('file', (field, stream, info) => {
        const file: ReceivedFile = {
          field,
          filename: safeFileName(info.filename),
          contentType: info.mimeType,
          size: 0,
          tempPath: path.join(tempDir, `${form.files.length}`),
        };
        form.files.push(file);
        stream.on('data', (chunk: Buffer) => (file.size += chunk.length));
        stream.on('limit', () => reject(new HttpError(413, `file '${file.filename}' is larger than ${maxFileBytes} bytes`)));
        writes.push(pipeline(stream, createWriteStream(file.tempPath, { mode: 0o600 })));
      });
      parser.on('filesLimit', () => reject(new HttpError(413, `at most ${MAX_FILES} files per request`)));
      parser.on('error', (error: Error) => reject(new HttpError(400, `malformed multipart body: ${error.message}`)));
      parser.on('close', resolve);
      req.pipe(parser);
    });
    await Promise.all(writes);
    return form;
  } catch (error) {
    req.unpipe();
    req.resume();
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
