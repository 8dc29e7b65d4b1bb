import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../../shared/rpc';

/** How long a proposed change of remote waits for its confirmation, and the wrong codes it survives. */
export const REMOTE_CHANGE_TTL_MS = 10 * 60_000;
export const REMOTE_CHANGE_ATTEMPTS = 5;
/** Letters and digits nobody confuses when copying them from a terminal (no 0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 10;

/** A base URL as the connection stores it (so "the same remote" compares equal). */
export const normalBaseUrl = (url: string): string => new URL(url).href.replace(/\/+$/, '');

/**
 * How a door of the engine confirms pointing the app at another remote:
 * - `dialog` (the desktop window, over IPC): the proposal hands the UI a one-time
 *   confirmation, sent back once the user said yes in the Cloud settings view's confirm step;
 * - `code` (a browser, over the WebSocket): whoever holds the local API token can call any
 *   method, so the proposal's one-time code is shown only where the person who started
 *   the server looks (`show`: the terminal of `jetty serve`) and must be typed back;
 * - `refused` (a WebSocket with no such place, the desktop app's local API): only the
 *   desktop window may change the remote.
 */
export type RemoteChangeDoor = { kind: 'dialog' } | { kind: 'code'; show(notice: { baseUrl: string; code: string }): void; where: string } | { kind: 'refused'; why: string };

export interface RemoteProposal {
  baseUrl: string;
  /** The confirmation to send with `cloud.signIn` after the user's yes (dialog door); null when the user types a code. */
  confirmation: string | null;
  /** Where the code to type is shown (code door). */
  codeShownIn: string | null;
}

/** One door's pending remote changes: each confirmed once, bound to its URL, expiring, with a few tries. */
export function remoteChangeGate(door: RemoteChangeDoor, now: () => number = Date.now) {
  const pending = new Map<string, { secret: string; expires: number; attempts: number }>();
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return {
    propose(baseUrl: string): RemoteProposal {
      if (door.kind === 'refused') throw new ApiError('unauthorized', door.why);
      const url = normalBaseUrl(baseUrl);
      if (door.kind === 'dialog') {
        const secret = randomBytes(24).toString('base64url');
        pending.set(url, { secret, expires: now() + REMOTE_CHANGE_TTL_MS, attempts: 0 });
        return { baseUrl: url, confirmation: secret, codeShownIn: null };
      }
      const secret = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      pending.set(url, { secret, expires: now() + REMOTE_CHANGE_TTL_MS, attempts: 0 });
      door.show({ baseUrl: url, code: secret });
      return { baseUrl: url, confirmation: null, codeShownIn: door.where };
    },
    /** Throws unless `confirmation` is the pending one for `baseUrl`; a good one is used up. */
    confirm(baseUrl: string, confirmation: string | undefined): void {
      const url = normalBaseUrl(baseUrl);
      const entry = pending.get(url);
      const again = 'confirm the new remote in Settings → Cloud (cloud.proposeRemote, then cloud.signIn with its confirmation)';
      if (!entry || entry.expires < now()) {
        pending.delete(url);
        throw new ApiError('unauthorized', `pointing Jetty at another remote (${url}) needs the user's confirmation: ${again}`);
      }
      const given = (confirmation ?? '').trim().toUpperCase();
      if (!same(door.kind === 'code' ? given : (confirmation ?? ''), entry.secret)) {
        if (++entry.attempts >= REMOTE_CHANGE_ATTEMPTS) pending.delete(url);
        throw new ApiError('unauthorized', `the confirmation for ${url} is wrong${door.kind === 'code' ? ` (type the code shown in ${door.where})` : ''}; ${again}`);
      }
      pending.delete(url);
    },
  };
}
export type RemoteChangeGate = ReturnType<typeof remoteChangeGate>;
