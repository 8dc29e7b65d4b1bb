import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { NameSchema } from '../../../../shared/names';
import { runbookFolder } from '../../runbook/folder';
import { FOLDER_ARCHIVE_TYPE, FolderArchiveError, MAX_FOLDER_ARCHIVE_BYTES, unpackFolder } from '../../uploads/folder-archive';
import { incomingFolder } from '../../uploads/incoming';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { incomingDir } from './files';
import { HttpError, rest, validate } from './http';
import { storageFailure } from './multipart';

const RUNBOOK = 'RUNBOOK.md';

/** Replacements of one folder, one at a time (two deploys of a task at once end as the later one). */
const replacing = new Map<string, Promise<unknown>>();

/**
 * Unpacks a folder archive (see uploads/folder-archive.ts; null: an empty folder) and puts
 * it in place of `target` as a whole: received beside the data folder's other incoming files, then swapped in by
 * renames, so `target` holds one deploy's files, never a mix (a run that started from the
 * old folder and copies it later can miss it: it then fails saying which file). `runbookText`
 * (a runbook-mode request's system message) becomes its RUNBOOK.md; otherwise the archive
 * must hold one. Refusals are HttpErrors (413, 422) saying why; nothing is left behind.
 */
export async function receiveFolder(dataDir: string, archive: Readable | null, target: string, runbookText?: string): Promise<{ files: number; bytes: number }> {
  const incoming = incomingFolder(incomingDir(dataDir));
  await mkdir(path.dirname(incoming), { recursive: true });
  try {
    const unpacked = archive
      ? await unpackFolder(archive, incoming).catch((error: unknown) => {
          if (error instanceof FolderArchiveError) throw new HttpError(/larger than|more than/.test(error.message) ? 413 : 422, error.message);
          throw storageFailure(error);
        })
      : await mkdir(incoming).then(() => ({ files: [], bytes: 0 }));
    if (runbookText !== undefined) await writeFile(path.join(incoming, RUNBOOK), runbookText);
    else if (!unpacked.files.some((f) => f.path === RUNBOOK)) throw new HttpError(422, `the folder holds no ${RUNBOOK} at its top: send the runbook's whole folder`);
    const previous = replacing.get(target) ?? Promise.resolve();
    const swap = previous.catch(() => undefined).then(async () => {
      await mkdir(path.dirname(target), { recursive: true });
      const old = `${incoming}.old`;
      await rename(target, old).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await rename(incoming, target);
      await rm(old, { recursive: true, force: true });
    });
    replacing.set(target, swap);
    await swap.finally(() => {
      if (replacing.get(target) === swap) replacing.delete(target);
    });
    const files = unpacked.files.length + (runbookText !== undefined && !unpacked.files.some((f) => f.path === RUNBOOK) ? 1 : 0);
    return { files, bytes: unpacked.bytes };
  } finally {
    await rm(incoming, { recursive: true, force: true });
  }
}

/** A deployed folder's files as a run of it gets them (`runbookFolder`), each with its sha256. */
async function listFolder(folder: string) {
  const listed = await runbookFolder(path.join(folder, RUNBOOK)).catch(() => null);
  if (!listed) return null;
  const files = [];
  for (const f of listed.files) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(f.sourcePath)) hash.update(chunk as Buffer);
    files.push({ path: f.path, size: f.size, mode: f.mode === 0o755 ? '755' : '644', sha256: hash.digest('hex') });
  }
  return { files, bytes: listed.bytes };
}

/**
 * A runbook task's folder, deployed here: `PUT /tasks/{c}/{t}/folder` takes the runbook's
 * whole folder as one tar (`application/x-tar`: RUNBOOK.md, scripts with their modes,
 * manifest, assets; at most the bounds of a local run's folder) and replaces the task's
 * folder with it; `GET` lists what a run of the task gets. A runbook of an opened folder
 * is not replaced (409). `onDeployed` is told the deployed tasks' root once a folder is in.
 */
export function taskFolderRoutes(deps: { dataDir: string; catalog: CatalogView; onDeployed?(): void }): Route[] {
  const names = (params: Record<string, string>) => ({ c: validate(NameSchema, params.c, 'collection'), t: validate(NameSchema, params.t, 'task') });
  return [
    rest(
      'PUT',
      '/tasks/:c/:t/folder',
      async ({ params, req }) => {
        const { c, t } = names(params);
        const refuse = (error: HttpError) => {
          req.resume();
          return error;
        };
        if (!(await deps.catalog.collection(c))) throw refuse(new HttpError(404, `no collection named '${c}'`));
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (type !== FOLDER_ARCHIVE_TYPE) throw refuse(new HttpError(415, `send the runbook's folder as one tar (Content-Type: ${FOLDER_ARCHIVE_TYPE})`));
        if (Number(req.headers['content-length'] ?? 0) > MAX_FOLDER_ARCHIVE_BYTES) throw refuse(new HttpError(413, `the folder's archive is larger than ${MAX_FOLDER_ARCHIVE_BYTES} bytes`));
        if ((await deps.catalog.task(c, t))?.source === 'folder') throw refuse(new HttpError(409, `'${t}' is a runbook in a folder opened here: deploy it under another task name`));
        const received = await receiveFolder(deps.dataDir, req, deps.catalog.deployedFolder(c, t));
        deps.onDeployed?.();
        return { collection: c, task: t, runbook: RUNBOOK, ...received };
      },
    ),
    rest('GET', '/tasks/:c/:t/folder', async ({ params }) => {
      const { c, t } = names(params);
      const listed = await listFolder(deps.catalog.deployedFolder(c, t));
      if (!listed) throw new HttpError(404, `task '${t}' of '${c}' has no folder deployed here`);
      return { collection: c, task: t, runbook: RUNBOOK, ...listed };
    }),
  ];
}
