import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { openStore, type NewTrajectory, type Store } from './index';

/** A fresh temp folder, removed when the current test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store in a fresh temp folder, closed and removed when the current test finishes. */
export function tempStore(): { dir: string; file: string; store: Store } {
  const dir = tempDir();
  const file = path.join(dir, 'jetty.db');
  const store = openStore(file);
  onTestFinished(() => store.close());
  return { dir, file, store };
}

export const aTrajectory = (overrides: Partial<NewTrajectory> = {}): NewTrajectory => ({
  collection: 'acme',
  task: 'weekly-report',
  kind: 'runbook',
  ...overrides,
});
