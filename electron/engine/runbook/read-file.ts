import { readFile, stat } from 'node:fs/promises';
import { ApiError } from '../../../shared/api-error';

/** Runbooks above this size are refused (the largest real ones are ~50 KB). */
export const MAX_RUNBOOK_BYTES = 5 * 1024 * 1024;

export type TextFileProblem = 'not_found' | 'directory' | 'too_large' | 'binary' | 'unreadable';

/** Why a text file cannot be read; `problem` tells a missing path from unusable content. */
export class TextFileError extends ApiError {
  constructor(
    readonly problem: TextFileProblem,
    message: string,
  ) {
    super(problem === 'not_found' ? 'not_found' : 'invalid_input', message);
    this.name = 'TextFileError';
  }
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Decodes UTF-8 text, refusing binary content (NUL bytes) and invalid UTF-8. */
export function decodeText(bytes: Uint8Array, what: string): string {
  if (bytes.includes(0)) {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    throw new TextFileError('binary', `${what} is not a text file (it contains NUL bytes${utf16 ? '; it looks like UTF-16: save it as UTF-8' : ''})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TextFileError('binary', `${what} is not valid UTF-8 text; save it as UTF-8`);
  }
}

/** Reads a UTF-8 text file of at most MAX_RUNBOOK_BYTES, with clear errors. */
export async function readTextFile(path: string): Promise<string> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new TextFileError('not_found', `file not found: ${path}`);
    throw new TextFileError('unreadable', `cannot read ${path}: ${err.message}`);
  });
  if (info.isDirectory()) throw new TextFileError('directory', `${path} is a directory, not a file`);
  if (info.size > MAX_RUNBOOK_BYTES) {
    throw new TextFileError('too_large', `${path} is ${megabytes(info.size)}; runbooks are limited to ${megabytes(MAX_RUNBOOK_BYTES)}`);
  }
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new TextFileError('unreadable', `cannot read ${path}: ${err.message}`);
  });
  return decodeText(bytes, path);
}
