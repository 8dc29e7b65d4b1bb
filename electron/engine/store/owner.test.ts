import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isOwnerProcessAlive, processOwnerToken } from './owner';

describe('owner tokens', () => {
  it('names this host and process, and reads as alive for this process', () => {
    expect(processOwnerToken()).toMatch(new RegExp(`^${os.hostname()}:${process.pid}:[0-9a-f]{8}$`));
    expect(isOwnerProcessAlive(processOwnerToken())).toBe(true);
  });

  it('reads as dead for an exited pid, and for our pid under an earlier token', () => {
    const { pid } = spawnSync(process.execPath, ['-e', '0']);
    expect(isOwnerProcessAlive(`${os.hostname()}:${pid}:00000000`)).toBe(false);
    expect(isOwnerProcessAlive(`${os.hostname()}:${process.pid}:00000000`)).toBe(false);
    expect(isOwnerProcessAlive(`${os.hostname()}:not-a-pid:00000000`)).toBe(false);
  });

  it('reads as alive for another live process and for other hosts', () => {
    expect(isOwnerProcessAlive(`${os.hostname()}:${process.ppid}:00000000`)).toBe(true);
    expect(isOwnerProcessAlive('some-other-host:1:00000000')).toBe(true);
  });
});
