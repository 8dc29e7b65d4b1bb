import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './usage-error';

/** A command's folder argument, resolved; a missing path or a file is bad usage, named with the command. */
export async function requireFolder(command: string, input: string): Promise<string> {
  const folder = path.resolve(input);
  const info = await stat(folder).catch(() => null);
  if (!info) throw new UsageError(`${command}: folder not found: ${folder}`);
  if (!info.isDirectory()) throw new UsageError(`${command}: not a folder: ${folder}`);
  return folder;
}
