import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../shared/contract';
import { createEventBus, type EventBus } from '../base/events';
import { watchWorkspaces } from './watch';
import { createWorkspaces } from './workspaces';

const RUNBOOK = '---\nversion: "1.0.0"\n---\n\n# A runbook\n';

let dir: string;
let bus: EventBus;
let stop: () => void;

/**
 * Resolves with the first payload of `event` that satisfies `match`. No budget of its own:
 * a loaded machine may take long to deliver file events; the test's timeout bounds the wait.
 */
const next = <E extends EventName>(event: E, match: (p: EventPayload<E>) => boolean) =>
  new Promise<EventPayload<E>>((resolve) => {
    const off = bus.subscribe(event, (p) => {
      if (!match(p)) return;
      off();
      resolve(p);
    });
  });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-watch-'));
  await mkdir(path.join(dir, 'ops/first'), { recursive: true });
  await writeFile(path.join(dir, 'ops/first/RUNBOOK.md'), RUNBOOK);
  bus = createEventBus();
  // These folders hold runbooks only: no workflow file is linted.
  const workspaces = createWorkspaces(bus, () => ({ diagnostics: [] }));
  const watcher = watchWorkspaces(workspaces, bus);
  stop = () => {
    watcher.close();
    workspaces.close();
  };
  await workspaces.open(dir);
  // Changes made before the watches are in place reach only the rescan, never runbook.changed.
  await watcher.watching(dir);
});

afterEach(async () => {
  stop();
  await rm(dir, { recursive: true, force: true });
});

// Generous: file events and the debounce can take long on a loaded machine.
describe('watchWorkspaces', { timeout: 60_000 }, () => {
  it('rescans when a runbook appears in a new folder', async () => {
    const changed = next('workspace.changed', (ws) => ws.runbooks.some((r) => r.name === 'second'));
    await mkdir(path.join(dir, 'ops/second'), { recursive: true });
    await writeFile(path.join(dir, 'ops/second/RUNBOOK.md'), RUNBOOK);
    expect((await changed).runbooks.map((r) => r.name).sort()).toEqual(['first', 'second']);
  });

  it('announces a changed runbook, also after an atomic save replaced the file', async () => {
    const file = path.join(dir, 'ops/first/RUNBOOK.md');
    const first = next('runbook.changed', (e) => e.path === file);
    await writeFile(`${file}.x1.tmp`, `${RUNBOOK}\nSaved atomically.\n`);
    await rename(`${file}.x1.tmp`, file);
    await first;
    // The file is a new inode now; later plain writes must still be seen.
    const second = next('runbook.changed', (e) => e.path === file);
    await writeFile(file, `${RUNBOOK}\nEdited in place.\n`);
    expect(await second).toEqual({ path: file });
  });

  it('drops a runbook that was deleted', async () => {
    const changed = next('workspace.changed', (ws) => ws.runbooks.length === 0);
    await rm(path.join(dir, 'ops'), { recursive: true });
    expect((await changed).runbooks).toEqual([]);
  });
});
