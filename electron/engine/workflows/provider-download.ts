/**
 * Downloads a file a provider's answer points at (an image or video URL), the one way steps
 * fetch a URL. The answer is not trusted: only `https` from public addresses is fetched.
 * The host name is resolved and every address checked (public-address.ts) inside the
 * connection's own lookup, so the socket connects to an address that was checked (a name
 * that resolves to a public address for the check and a private one for the connection —
 * DNS rebinding — cannot slip through). Redirects are followed by hand, each hop checked
 * the same way, at most MAX_REDIRECTS. Size and time are bounded. `data:` URLs are decoded
 * in place. The engine may trust some origins as they are (tests' loopback servers): only
 * through `DownloadPolicy`, given when the engine is created, never from a document or the
 * environment.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { lookup as mediaType } from 'mime-types';
import { linkedSignal } from '../base/linked-signal';
import { nonPublicReason } from './public-address';
import { PermanentStepError, RetryableStepError } from './templates/types';

/** The largest file a step downloads (a provider's output). */
export const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;
/** Redirects followed; provider file URLs redirect once or twice (to a CDN). */
export const MAX_REDIRECTS = 5;
/** The whole download, redirects included (a video is large; the step's own timeout may cut it shorter). */
export const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface DownloadPolicy {
  /** Origins (`http://127.0.0.1:4242`) fetched as they are, any scheme or address: what the engine was told to trust. */
  trustedOrigins: ReadonlySet<string>;
}

/** The default: public https only. */
export const PUBLIC_HTTPS_ONLY: DownloadPolicy = { trustedOrigins: new Set() };

export interface Download {
  bytes: Buffer;
  contentType: string | null;
}

/** A URL as messages show it: no query or fragment (signed URLs carry credentials there). */
const shown = (url: URL) => `${url.origin}${url.pathname}`;

class RefusedAddress extends Error {}

/** dns.lookup for a connection, refusing a name any of whose addresses is not public; the socket gets exactly the addresses checked. */
const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    for (const a of addresses) {
      const reason = nonPublicReason(a.address);
      if (reason) return callback(new RefusedAddress(`${hostname} resolves to ${a.address}, ${reason}`), '', 0);
    }
    if (options.all) (callback as unknown as (e: null, all: dns.LookupAddress[]) => void)(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
};

/** Refuses a URL this policy does not fetch, before anything connects. */
function check(url: URL, policy: DownloadPolicy): { trusted: boolean } {
  if (policy.trustedOrigins.has(url.origin)) return { trusted: true };
  if (url.protocol !== 'https:') throw new PermanentStepError(`refusing to download ${shown(url)}: a step downloads only https URLs`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const reason = net.isIP(host) ? nonPublicReason(host) : null;
  if (reason) throw new PermanentStepError(`refusing to download ${shown(url)}: ${host} is ${reason}`);
  return { trusted: false };
}

function request(url: URL, trusted: boolean, signal: AbortSignal, stepSignal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method: 'GET', agent: false, signal, headers: { accept: '*/*' }, ...(trusted ? {} : { lookup: publicLookup }) };
    const req = (url.protocol === 'https:' ? https : http).request(url, options, resolve);
    req.on('error', (error) => {
      if (error instanceof RefusedAddress) reject(new PermanentStepError(`refusing to download ${shown(url)}: ${error.message}`));
      else if (stepSignal.aborted) reject(error);
      else if (signal.aborted) reject(new RetryableStepError(`downloading ${shown(url)} took longer than ${DOWNLOAD_TIMEOUT_MS / 1000} s`));
      else reject(new RetryableStepError(`cannot download ${shown(url)}: ${error.message}`));
    });
    req.end();
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function body(response: http.IncomingMessage, url: URL, stepSignal: AbortSignal): Promise<Download> {
  const status = response.statusCode ?? 0;
  if (status >= 400 || status < 200) {
    response.destroy();
    const message = `downloading ${shown(url)} failed with ${status}`;
    throw status >= 500 || status === 429 ? new RetryableStepError(message) : new PermanentStepError(message);
  }
  const declared = Number(response.headers['content-length']);
  if (declared > MAX_DOWNLOAD_BYTES) {
    response.destroy();
    throw new PermanentStepError(`${shown(url)} is ${declared} bytes, more than the ${MAX_DOWNLOAD_BYTES} a step downloads`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_DOWNLOAD_BYTES) {
        response.destroy();
        throw new PermanentStepError(`${shown(url)} is more than the ${MAX_DOWNLOAD_BYTES} bytes a step downloads`);
      }
      parts.push(chunk);
    }
  } catch (error) {
    if (error instanceof PermanentStepError || stepSignal.aborted) throw error;
    throw new RetryableStepError(`downloading ${shown(url)} broke off: ${(error as Error).message}`);
  }
  const type = response.headers['content-type'] ?? null;
  const contentType = type !== null && type !== 'application/octet-stream' ? type : null;
  return { bytes: Buffer.concat(parts), contentType: contentType ?? (mediaType(url.pathname) || null) };
}

/** A `data:` URL's bytes and type (base64 or percent-encoded), bounded like a download. */
function dataUrl(url: string): Download {
  const comma = url.indexOf(',');
  if (comma < 0) throw new PermanentStepError('a data: URL without a comma is not one');
  const meta = url.slice(5, comma).split(';');
  const base64 = meta.at(-1)?.toLowerCase() === 'base64';
  const payload = url.slice(comma + 1);
  if ((base64 ? Math.floor((payload.length * 3) / 4) : payload.length) > MAX_DOWNLOAD_BYTES) {
    throw new PermanentStepError(`a data: URL of more than the ${MAX_DOWNLOAD_BYTES} bytes a step downloads`);
  }
  let bytes: Buffer;
  try {
    bytes = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
  } catch {
    throw new PermanentStepError('a data: URL whose percent-encoding is malformed');
  }
  return { bytes, contentType: meta[0] || null };
}

/** The file a provider's output URL serves (see the module comment); 5xx, 429 and network failures are worth another attempt. */
export async function downloadFile(url: string, stepSignal: AbortSignal, policy: DownloadPolicy): Promise<Download> {
  if (url.startsWith('data:')) return dataUrl(url);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new PermanentStepError(`'${url.slice(0, 200)}' is not a URL`);
  }
  const limited = linkedSignal([stepSignal], { ms: DOWNLOAD_TIMEOUT_MS, message: 'the download took too long' });
  try {
    for (let hop = 0; ; hop++) {
      const { trusted } = check(target, policy);
      const response = await request(target, trusted, limited.signal, stepSignal);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return await body(response, target, stepSignal);
      response.destroy();
      if (hop >= MAX_REDIRECTS) throw new PermanentStepError(`${shown(target)} redirects more than ${MAX_REDIRECTS} times`);
      try {
        target = new URL(location, target);
      } catch {
        throw new PermanentStepError(`${shown(target)} redirects to '${location.slice(0, 200)}', which is not a URL`);
      }
    }
  } finally {
    limited.dispose();
  }
}
