import { randomBytes } from 'node:crypto';
import { mayBeRunning, parseBoot, THIS_PROCESS } from '../base/process-identity';

const OWNER_NONCE = randomBytes(4).toString('hex');

/**
 * A token naming this process as the owner of the runs it starts: host, pid, a random part
 * (so our own pid, reused after a restart, is not mistaken for the old owner) and the
 * host's boot id (so a pid reused after a reboot is not either). Stored with each
 * trajectory; see `isOwnerProcessAlive`.
 */
export const processOwnerToken = (): string => `${THIS_PROCESS.host}:${THIS_PROCESS.pid}:${OWNER_NONCE}:${THIS_PROCESS.boot ?? ''}`;

/**
 * Whether the process named by an owner token may still be running: true for this
 * process; false for this process's pid under another token (an earlier incarnation);
 * otherwise as `mayBeRunning` judges (tokens written before boot ids were recorded have
 * none, and are judged by their pid alone).
 */
export function isOwnerProcessAlive(token: string): boolean {
  if (token === processOwnerToken()) return true;
  const [host, pidText, , bootText] = token.split(':');
  const pid = Number(pidText);
  if (host === THIS_PROCESS.host && pid === THIS_PROCESS.pid) return false;
  return mayBeRunning({ host, pid, boot: parseBoot(bootText) });
}
