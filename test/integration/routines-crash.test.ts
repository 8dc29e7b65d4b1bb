// kill -9 of a process around a routine's firing (before its run starts, and right after):
// the next start fires the slot once, never twice and never not at all.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = path.resolve(import.meta.dirname, 'routines-crash-child.ts');
const child = (args: string[]) =>
  new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: path.resolve(import.meta.dirname, '../..'), timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, signal: (error as { signal?: string } | null)?.signal ?? null, stdout, stderr }),
    );
  });

describe('routines survive kill -9 around a firing', () => {
  it.each(['before-launch', 'after-launch'])('killed %s: the 12:00 slot fires once', async (kill) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-routine-crash-'));
    try {
      expect((await child([dir, 'setup', '2026-03-06T10:30:00.000Z'])).code).toBe(0);
      // 12:10: the 11:00 and 12:00 slots have passed; the firing for 12:00 is claimed, then the process dies.
      const fired = await child([dir, 'fire', '2026-03-06T12:10:00.000Z', kill]);
      expect(fired.signal, fired.stderr).toBe('SIGKILL');
      const settled = await child([dir, 'settle', '2026-03-06T12:20:00.000Z']);
      expect(settled.code, settled.stderr).toBe(0);
      const runs = JSON.parse(settled.stdout) as { slot: string; missed: number; state: string; status: string; trajectory_id: string }[];
      expect(runs.map((r) => [r.slot, r.missed, r.state])).toEqual([['2026-03-06T12:00:00.000Z', 1, 'started']]);
      // Killed before its run started: started at the next start; killed after: the workflow run it started was resumed, not started again.
      expect(runs[0].status).toBe('completed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
