import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { toName } from '../../../shared/names';

/** A workflow kept in a collection folder: `<collection>/<task>.workflow.json`. */
export const WORKFLOW_SUFFIX = '.workflow.json';

export const isWorkflowFile = (file: string): boolean => file.endsWith(WORKFLOW_SUFFIX) && path.basename(file).length > WORKFLOW_SUFFIX.length;

/**
 * Collection and name of a workflow file: the folder that holds it is its collection, the
 * file name without `.workflow.json` its task (both made names, as folder names are free).
 */
export function workflowPlace(file: string): { collection: string; name: string } {
  return { collection: toName(path.basename(path.dirname(file))), name: toName(path.basename(file).slice(0, -WORKFLOW_SUFFIX.length)) };
}

/** A workflow file's content: a workflow document, or a task `{name, description, workflow}`. */
export interface WorkflowFile {
  document: Record<string, unknown>;
  description: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a workflow text: the task's `workflow` when it is a task document, else the whole document. Throws on bad JSON. */
export function parseWorkflowText(text: string): WorkflowFile {
  const value: unknown = JSON.parse(text);
  if (!isObject(value)) throw new Error('a workflow file holds a JSON object');
  if (isObject(value.workflow)) return { document: value.workflow, description: typeof value.description === 'string' ? value.description : null };
  return { document: value, description: typeof value.description === 'string' ? value.description : null };
}

export const readWorkflowFile = async (file: string): Promise<WorkflowFile> => parseWorkflowText(await readFile(file, 'utf8'));

/** The document of the workflow file `collection/task` in the open folders (a fan-out's child), or null. */
export async function folderWorkflow(entries: readonly { path: string; kind?: string; collection: string; name: string }[], collection: string, task: string): Promise<Record<string, unknown> | null> {
  const entry = entries.find((e) => e.kind === 'workflow' && e.collection === collection && e.name === task);
  return entry ? (await readWorkflowFile(entry.path)).document : null;
}
