import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The process that started something able to outlive it: a run, a sandbox container. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Which boot of its host it ran in, where the host says (see `hostBootId`); else null. */
  boot: string | null;
}

/**
 * This host's boot id: Linux gives every boot a random one. Elsewhere there is no such id
 * (a boot time derived from the clock would move with clock corrections and could make a
 * live process look gone), so processes are judged by their pid alone.
 */
function hostBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** This process. */
export const THIS_PROCESS: Readonly<ProcessIdentity> = Object.freeze({ host: os.hostname(), pid: process.pid, boot: hostBootId() });

/**
 * Whether that process may still be running. One on another host is presumed to (we cannot
 * tell). On this host it is not when it ran in an earlier boot (its pid may be another
 * process's now) or when no process has its pid. A pid reused within one boot reads as
 * alive, which errs on the side of not failing a live run.
 */
export function mayBeRunning(owner: ProcessIdentity): boolean {
  if (owner.host !== THIS_PROCESS.host) return true;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  if (owner.boot !== null && THIS_PROCESS.boot !== null && owner.boot !== THIS_PROCESS.boot) return false;
  return pidAlive(owner.pid);
}

/** Whether a process of this host has that pid now. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A recorded boot id (a label, a token field), or null when none was recorded. */
export const parseBoot = (text: string | undefined): string | null => text || null;
