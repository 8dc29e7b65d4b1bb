import os from 'node:os';

/** The process that started something able to outlive it: a run, a sandbox container. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** When its host last booted (Unix seconds), or null where it was not recorded. */
  boot: number | null;
}

/** Unix time of this host's last boot, whole seconds (it moves by clock adjustments). */
const hostBootTime = (): number => Math.round(Date.now() / 1000 - os.uptime());

/** This process, read once: its recorded identity must stay equal to itself. */
export const THIS_PROCESS: ProcessIdentity = Object.freeze({ host: os.hostname(), pid: process.pid, boot: hostBootTime() });

/** Boot times read at different moments differ by clock adjustments; a reboot moves them by more. */
const BOOT_TOLERANCE_S = 120;

/**
 * Whether that process may still be running. One on another host is presumed to (we cannot
 * tell). On this host it is not when the host has booted since it was recorded (its pid may
 * be another process's now) or when no process has its pid. A pid reused without a reboot
 * reads as alive, which errs on the side of not failing a live run.
 */
export function mayBeRunning(owner: ProcessIdentity): boolean {
  if (owner.host !== THIS_PROCESS.host) return true;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  if (owner.boot !== null && Math.abs(hostBootTime() - owner.boot) > BOOT_TOLERANCE_S) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A recorded boot time as text (a label, a token field), or null when absent or malformed. */
export function parseBoot(text: string | undefined): number | null {
  const boot = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(boot) ? boot : null;
}
