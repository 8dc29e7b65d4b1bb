/**
 * A serving Jetty process for the workflow crash tests: the engine and its local API on
 * 127.0.0.1 over `<dataDir>`, as `jetty serve` runs them (without the renderer).
 * Prints `listening <origin>` once it accepts requests. With FREEZE_WHEN set it blocks its
 * own event loop right after the commit that makes the condition true and prints
 * `frozen`, so the test can kill -9 it at exactly that point:
 *   {"step": "<name>"}: a step of any trajectory was journaled as completed;
 *   {"completedChildren": N, "task": "<t>"}: N trajectories of task t have completed.
 * SERVE_FOLDERS (joined by the path delimiter) are opened as `jetty serve <folder>` opens them.
 * TRUSTED_DOWNLOAD_ORIGINS (comma-separated) and WORKFLOW_LIMITS (JSON) are this test
 * process's engine options (the engine itself reads no environment for them).
 * Usage: node --import tsx workflow-serve-child.ts <dataDir> <token>
 */
import path from 'node:path';
import { createEngine } from '../../electron/engine/api';
import { createLocalServer } from '../../electron/engine/server/local-server';

const [dataDir, token] = process.argv.slice(2);
const freeze = process.env.FREEZE_WHEN ? (JSON.parse(process.env.FREEZE_WHEN) as { step?: string; completedChildren?: number; task?: string }) : null;

// SERVE_FOLDERS: folders to open, as `jetty serve <folder>` does (run_runbook tasks live in them).
const engine = await createEngine({
  dataDir,
  folders: process.env.SERVE_FOLDERS ? process.env.SERVE_FOLDERS.split(path.delimiter) : undefined,
  trustedDownloadOrigins: process.env.TRUSTED_DOWNLOAD_ORIGINS ? process.env.TRUSTED_DOWNLOAD_ORIGINS.split(',') : undefined,
  workflowLimits: process.env.WORKFLOW_LIMITS ? JSON.parse(process.env.WORKFLOW_LIMITS) : undefined,
});
const store = engine.services.store;
if (freeze) {
  let frozen = false;
  const reached = (trajectoryId: string): boolean => {
    if (freeze.step) return store.getTrajectory(trajectoryId)?.steps[freeze.step]?.status === 'completed';
    return store.listTrajectories({ task: freeze.task, status: 'completed', limit: 1 }).total >= freeze.completedChildren!;
  };
  store.onChange(({ table, trajectoryId }) => {
    if (frozen || (table !== 'steps' && table !== 'trajectories') || !reached(trajectoryId)) return;
    frozen = true;
    process.stdout.write('frozen\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  });
}
const server = await createLocalServer({ engine, token, staticDir: null, routes: engine.routes });
process.stdout.write(`listening ${server.origin}\n`);
