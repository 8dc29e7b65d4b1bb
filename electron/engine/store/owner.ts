import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * A token naming this process as the owner of the runs it starts: host, pid and a random
 * part (so a pid reused after a restart is not mistaken for the old owner when tokens
 * are compared). Stored with each trajectory; see `isOwnerProcessAlive`.
 */
export const processOwnerToken = (): string => `${os.hostname()}:${process.pid}:${OWNER_NONCE}`;

const OWNER_NONCE = randomBytes(4).toString('hex');

/**
 * Whether the process named by an owner token may still be running: true for this
 * process, false when the pid no longer exists on this host or is this process's pid
 * under another token; tokens from another host
 * are presumed alive (we cannot tell). A pid reused by an unrelated process reads as
 * alive, which errs on the side of not failing a live run.
 */
export function isOwnerProcessAlive(token: string): boolean {
  if (token === processOwnerToken()) return true;
  const [host, pidText] = token.split(':');
  if (host !== os.hostname()) return true;
  const pid = Number(pidText);
  // Our own pid with another nonce is an earlier incarnation (pids repeat in containers).
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
