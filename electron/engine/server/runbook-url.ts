import path from 'node:path';
import { decodeText, MAX_RUNBOOK_BYTES, TextFileError } from '../runbook/read-file';
import { HttpError } from './rest/http';

/** A runbook fetch gives up after this long, body included. */
export const RUNBOOK_URL_TIMEOUT_MS = 15_000;

/** Hosts that may serve a runbook over plain http: this machine only. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const FIELD = 'jetty.runbook_url';

/** What a chat request's `jetty.runbook_url` names: a web address on an allowed host, or an absolute local path. */
export type RunbookLocation = { url: URL } | { path: string };

/**
 * Reads `jetty.runbook_url`. A URL must be https (http only on loopback) on one of
 * `allowedHosts` (the `runbookUrlHosts` setting; none by default); `file:` URLs and
 * relative paths are refused. An absolute path is returned as is: the caller checks it
 * lies inside the open folders.
 */
export function locateRunbook(value: string, allowedHosts: readonly string[]): RunbookLocation {
  if (path.isAbsolute(value)) return { path: value };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(422, `${FIELD}: give an https:// URL on an allowed host, or the absolute path of a RUNBOOK.md in an opened folder`);
  }
  if (url.protocol === 'file:') {
    throw new HttpError(422, `${FIELD}: file: URLs are refused; give the RUNBOOK.md's absolute path inside an opened folder, or send the runbook as the system message`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new HttpError(422, `${FIELD}: only https:// URLs are fetched (http:// only from this machine), not ${url.protocol}`);
  }
  if (!allowedHosts.some((host) => host.toLowerCase() === url.hostname)) {
    throw new HttpError(422, `${FIELD}: ${url.hostname} is not an allowed runbook host (add it to the runbookUrlHosts setting; none are allowed by default)`);
  }
  return { url };
}

/** Reads a body of at most MAX_RUNBOOK_BYTES, cancelling the download beyond. */
async function boundedBody(res: Response, url: URL): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  const tooLarge = () => new HttpError(422, `${FIELD}: ${url.href} is larger than the ${MAX_RUNBOOK_BYTES / 1048576} MB a runbook may be`);
  if (declared > MAX_RUNBOOK_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_RUNBOOK_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The runbook text at an allowed URL (see locateRunbook): no redirects, bounded in size and time. */
export async function fetchRunbook(url: URL): Promise<string> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(RUNBOOK_URL_TIMEOUT_MS) });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new HttpError(422, `${FIELD}: ${url.href} redirects; redirects are not followed (they could leave the allowed hosts)`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new HttpError(502, `${FIELD}: ${url.href} answered ${res.status}`);
    }
    return decodeText(await boundedBody(res, url), url.href);
  } catch (error) {
    if (error instanceof HttpError || error instanceof TextFileError) throw error;
    throw new HttpError(502, `${FIELD}: cannot fetch ${url.href}: ${(error as Error).message}`);
  }
}
