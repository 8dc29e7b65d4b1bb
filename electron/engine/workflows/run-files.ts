/**
 * The one way a workflow step reads a file. A step names files by storage path (what
 * `GET /api/v1/file/{path}` serves and what image steps output: `wf/outputs/<run>/<step>/image-0.png`,
 * an upload's `wf/run-inputs/<form>/photo.png`), and may read only
 *   - the uploads of its run or of a run above it (a fan-out child reads its root's), and
 *   - the stored outputs of any run of its own tree (the root run and every run under it),
 * found inside the files root (symlinks out refused). Anything else — a host path, a
 * `..`, another run's files — is not a file of the run: the step is told so and reads nothing.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { lookup } from 'mime-types';
import type { WorkflowRunRecord } from '../store';
import { safeSegment, sniffMediaType, storedFile } from './step-files';
import { PermanentStepError, type RunFile } from './templates/types';

export interface RunFileAccess {
  /** Where uploads and step outputs are stored (the files root). */
  filesRoot: string;
  /** A journaled run by id (to walk a run up to its root), or null. */
  run(id: string): WorkflowRunRecord | null;
  /** The most bytes one read may return. */
  maxBytes: number;
}

/** Runs above a run are at most this many (the depth bound is far lower): a corrupt parent loop cannot spin. */
const MAX_LINEAGE = 64;

/** The run and every run above it, up to its root (last). */
function lineage(access: RunFileAccess, run: WorkflowRunRecord): WorkflowRunRecord[] {
  const runs = [run];
  for (let at = run; at.parent && runs.length < MAX_LINEAGE; ) {
    const parent = access.run(at.parent.id);
    if (!parent) break;
    runs.push((at = parent));
  }
  return runs;
}

/** An upload's storage path (its host path under the files root). */
export const uploadStoragePath = (filesRoot: string, file: string): string => path.relative(filesRoot, file).split(path.sep).join('/');

/** Whether a storage path names an upload of the run's lineage or a stored output of a run of its tree. */
function belongsToRun(access: RunFileAccess, run: WorkflowRunRecord, reference: string): boolean {
  const mine = lineage(access, run);
  if (mine.some((r) => r.files.some((file) => uploadStoragePath(access.filesRoot, file) === reference))) return true;
  const [collection, kind, owner, ...rest] = reference.split('/');
  if (kind !== 'outputs' || !owner || rest.length === 0) return false;
  const ownerRun = owner === run.id ? run : access.run(owner);
  if (!ownerRun || safeSegment(ownerRun.collection) !== collection || safeSegment(ownerRun.id) !== owner) return false;
  return lineage(access, ownerRun).at(-1)!.id === mine.at(-1)!.id;
}

/** The host path of a file the run may read, or null (not one of its files, or not there). */
export async function runFilePath(access: RunFileAccess, run: WorkflowRunRecord, reference: string): Promise<string | null> {
  if (reference.includes('\\') || !belongsToRun(access, run, reference)) return null;
  return storedFile(access.filesRoot, reference);
}

/**
 * Reads a file the run may read (see the module comment), or null when the reference is
 * not one; a file over the byte bound fails the step.
 */
export async function readRunFile(access: RunFileAccess, run: WorkflowRunRecord, reference: string): Promise<RunFile | null> {
  const file = await runFilePath(access, run, reference);
  if (!file) return null;
  const { size } = await stat(file);
  if (size > access.maxBytes) throw new PermanentStepError(`file '${reference}' is ${size} bytes, more than the ${access.maxBytes} a step reads`);
  const bytes = await readFile(file);
  const name = path.basename(file);
  return { path: reference, name, content_type: lookup(name) || sniffMediaType(bytes) || 'application/octet-stream', bytes };
}

/** Why a reference is refused, for the step's error (names the reference, never a host path). */
export const notARunFile = (parameter: string, reference: string): PermanentStepError =>
  new PermanentStepError(
    `${parameter} '${reference.slice(0, 200)}' is not a file of this run: give the storage path of one of its uploads or of a file an earlier step stored (e.g. draw.outputs.images[0].path), not a host path`,
  );
