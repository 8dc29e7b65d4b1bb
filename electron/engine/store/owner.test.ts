import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { THIS_PROCESS } from '../base/process-identity';
import { isOwnerProcessAlive, processOwnerToken } from './owner';

const host = os.hostname();

describe('owner tokens', () => {
  it('names this host, process and boot, and reads as alive for this process', () => {
    expect(processOwnerToken()).toMatch(new RegExp(`^${host}:${process.pid}:[0-9a-f]{8}:${THIS_PROCESS.boot ?? ''}$`));
    expect(processOwnerToken()).toBe(processOwnerToken());
    expect(isOwnerProcessAlive(processOwnerToken())).toBe(true);
  });

  it('reads as dead for an exited pid, and for our pid under an earlier token', () => {
    const { pid } = spawnSync(process.execPath, ['-e', '0']);
    expect(isOwnerProcessAlive(`${host}:${pid}:00000000:${THIS_PROCESS.boot}`)).toBe(false);
    expect(isOwnerProcessAlive(`${host}:${process.pid}:00000000:${THIS_PROCESS.boot}`)).toBe(false);
    expect(isOwnerProcessAlive(`${host}:not-a-pid:00000000`)).toBe(false);
  });

  it('reads as alive for another live process of this boot, for tokens without a boot, and for other hosts', () => {
    expect(isOwnerProcessAlive(`${host}:${process.ppid}:00000000:${THIS_PROCESS.boot}`)).toBe(true);
    expect(isOwnerProcessAlive(`${host}:${process.ppid}:00000000`)).toBe(true);
    expect(isOwnerProcessAlive('some-other-host:1:00000000:another-boot')).toBe(true);
  });

  // Linux has boot ids; elsewhere owners are judged by pid alone.
  it.runIf(THIS_PROCESS.boot !== null)('reads as dead for a live pid recorded in an earlier boot (the pid is someone else’s now)', () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      expect(isOwnerProcessAlive(`${host}:${child.pid}:00000000:${THIS_PROCESS.boot}`)).toBe(true);
      expect(isOwnerProcessAlive(`${host}:${child.pid}:00000000:0b0e1d2c-earlier-boot`)).toBe(false);
    } finally {
      child.kill();
    }
  });
});
