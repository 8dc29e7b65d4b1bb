import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy, { type Busboy } from 'busboy';
import { HttpError } from './http';
import { safeFileName } from '../../uploads/file-names';
import { incomingFolder } from '../../uploads/incoming';
import { isNoSpace } from '../../base/disk-full';

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
const MAX_FIELDS = 64;
const MAX_FIELD_BYTES = 1024 * 1024;


/** A file-system error of an upload as the client should see it: 507 when the disk (or quota) is full, else as it was (a 500). */
export function storageFailure(error: unknown): unknown {
  return isNoSpace(error) ? new HttpError(507, `not enough disk space to store the upload (${(error as NodeJS.ErrnoException).code})`) : error;
}

/**
 * Reads a `multipart/form-data` request, streaming each file to a folder of its own under
 * `tmpRoot` (`incomingFolder`)
 * (never into memory): 415 if the request is not multipart, 400 if it is malformed or cut
 * short (no closing boundary, the client went away), 413 past the size limits, 507 when
 * the disk is full. On any failure the parser stops, every file write is settled and the
 * temp folder is removed before the error is thrown; nothing is left running.
 */
export async function readMultipart(req: IncomingMessage, tmpRoot: string, maxFileBytes = MAX_UPLOAD_BYTES): Promise<ReceivedForm> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'send multipart/form-data (curl -F), e.g. -F \'init_params={"key":"value"}\'');
  }
  const tempDir = incomingFolder(tmpRoot);
  const form: ReceivedForm = { fields: {}, files: [], tempDir };
  const writes: Promise<void>[] = [];
  let parser: Busboy | undefined;
  /** The first failure; a file write can fail after the parser has finished. */
  let failure: unknown = null;
  try {
    await mkdir(tempDir, { recursive: true }).catch((error: unknown) => {
      throw storageFailure(error);
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        failure ??= error;
        reject(failure);
      };
      try {
        parser = busboy({
          headers: req.headers,
          defParamCharset: 'utf8',
          limits: { fileSize: maxFileBytes, files: MAX_FILES, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
        });
      } catch (error) {
        return fail(new HttpError(400, `malformed multipart request: ${(error as Error).message}`));
      }
      parser.on('field', (name, value, info) => {
        if (info.valueTruncated) fail(new HttpError(413, `form field '${name}' is larger than ${MAX_FIELD_BYTES} bytes`));
        form.fields[name] = value;
      });
      parser.on('file', (field, stream, info) => {
        if (failure) return void stream.resume();
        const file: ReceivedFile = {
          field,
          filename: safeFileName(info.filename),
          contentType: info.mimeType,
          size: 0,
          tempPath: path.join(tempDir, `${form.files.length}`),
        };
        form.files.push(file);
        stream.on('data', (chunk: Buffer) => (file.size += chunk.length));
        stream.on('limit', () => fail(new HttpError(413, `file '${file.filename}' is larger than ${maxFileBytes} bytes`)));
        writes.push(pipeline(stream, createWriteStream(file.tempPath, { mode: 0o600 })).catch((error: unknown) => fail(storageFailure(error))));
      });
      parser.on('filesLimit', () => fail(new HttpError(413, `at most ${MAX_FILES} files per request`)));
      parser.on('fieldsLimit', () => fail(new HttpError(413, `at most ${MAX_FIELDS} form fields per request`)));
      parser.on('error', (error: Error) => fail(new HttpError(400, `malformed multipart body: ${error.message}`)));
      parser.on('close', resolve);
      const aborted = () => fail(new HttpError(400, 'the upload was aborted before its body ended'));
      // The client may have gone while the temp folder was made: then no 'close' is coming, and a
      // destroyed request gives no more data even when its whole body had arrived.
      if (req.destroyed) return aborted();
      req.on('error', aborted);
      req.on('close', () => {
        if (!req.complete || !req.readableEnded) aborted();
      });
      req.pipe(parser);
    });
    await Promise.all(writes);
    if (failure) throw failure;
    return form;
  } catch (error) {
    if (parser) {
      req.unpipe(parser);
      parser.destroy();
    }
    req.resume();
    await Promise.all(writes);
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
