import { realpath, stat } from 'node:fs/promises';
import { lookup } from 'mime-types';
import path from 'node:path';
import type { Api, Workspace } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import type { Store } from '../store';
import { analyzeRunbookFile } from '../runbook';
import { UploadError, type DraftUploads } from '../uploads/draft-uploads';
import { expandHome } from '../base/home-path';
import type { RunbookPathCheck } from '../workspace/runbook-roots';
import { filePreview, localPreviewBytes } from './file-preview';

/** An upload refusal as the API reports it. */
async function asApiErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UploadError) throw new ApiError(error.status === 404 ? 'not_found' : 'invalid_input', error.message);
    throw error;
  }
}

/** The input files of a UI run: upload ids, plus host paths where the front door allows them (the desktop app). */
export function runFileInputs(uploads: DraftUploads, hostPathsAllowed: boolean) {
  const refuseHostPaths = (files: readonly string[]) => {
    if (files.length > 0 && !hostPathsAllowed) {
      throw new ApiError('invalid_input', `host file paths such as ${files[0]} are accepted only from the desktop app; upload the file (POST /api/v1/uploads) and pass its id in "uploads"`);
    }
  };
  return {
    /** The names the inputs will have in the run (a plan's view): nothing is copied or taken. */
    names: (files: readonly string[] = [], ids: readonly string[] = []) =>
      asApiErrors(async () => {
        refuseHostPaths(files);
        return [...files.map((f) => path.basename(expandHome(f))), ...(await Promise.all(ids.map((id) => uploads.resolve(id)))).map((r) => r.upload.name)];
      }),
    /** Each input's file, and how to keep the list with the run once it has an id. Refuses ids outside the uploads and host paths where not allowed. */
    resolve: (files: readonly string[] = [], ids: readonly string[] = []) =>
      asApiErrors(async () => {
        refuseHostPaths(files);
        // A desktop pick is copied into the uploads too, so the run's inputs stay with it for Re-run.
        const picked = await Promise.all(files.map((f) => uploads.importFile(expandHome(f))));
        const resolved = await Promise.all([...picked.map((u) => u.id), ...ids].map((id) => uploads.take(id)));
        return {
          paths: resolved.map((r) => r.path),
          remember: (trajectoryId: string, runbookPath: string) => uploads.remember(trajectoryId, { runbookPath, files: resolved.map((r) => r.upload) }),
        };
      }),
  };
}
export type RunFileInputs = ReturnType<typeof runFileInputs>;

/** `run.inputs` (what Re-run starts from) and `upload.example` (a manifest example's files as uploads). */
export function uploadHandlers(deps: { uploads: DraftUploads; store: Store; workspaces: () => Promise<Workspace[]>; readable: RunbookPathCheck }) {
  /** The runbook of a run without a kept record (CLI, REST): the open runbook with its collection and task. */
  async function runbookOf(trajectoryId: string): Promise<string | null> {
    const t = deps.store.getTrajectory(trajectoryId);
    if (!t) throw new ApiError('not_found', `no trajectory ${trajectoryId}`);
    const runbooks = (await deps.workspaces()).flatMap((ws) => ws.runbooks);
    return runbooks.find((r) => r.kind !== 'workflow' && r.collection === t.collection && r.name === t.task)?.path ?? null;
  }
  return {
    'run.inputs': async ({ trajectoryId }) => {
      const kept = await deps.uploads.recall(trajectoryId);
      const runbookPath = kept?.runbookPath ?? (await runbookOf(trajectoryId));
      const open = runbookPath === null ? null : await deps.readable(runbookPath).catch(() => null);
      return { runbookPath: open, files: kept?.files ?? [] };
    },
    'run.inputFile': async ({ trajectoryId, uploadId }) => {
      const kept = (await deps.uploads.recall(trajectoryId))?.files.find((f) => f.id === uploadId);
      if (!kept) throw new ApiError('not_found', `run ${trajectoryId} kept no input file ${uploadId}`);
      return asApiErrors(async () => {
        const { upload, path: file } = await deps.uploads.resolve(uploadId);
        return filePreview(upload.name, lookup(upload.name) || 'application/octet-stream', (await stat(file)).size, await localPreviewBytes(file));
      });
    },
    'upload.example': async ({ runbookPath, exampleId }) => {
      const file = await deps.readable(runbookPath);
      const example = (await analyzeRunbookFile(file)).examples?.find((e) => e.id === exampleId);
      if (!example) throw new ApiError('not_found', `${runbookPath}'s manifest.json has no example '${exampleId}'`);
      const folder = await realpath(path.dirname(file));
      return asApiErrors(async () => {
        const files = [];
        for (const f of example.files) {
          const real = await realpath(path.join(folder, f.path)).catch(() => null);
          if (!real?.startsWith(folder + path.sep)) throw new ApiError('not_found', `example '${exampleId}' names ${f.path}, which is not a file in the runbook's folder`);
          files.push(await deps.uploads.importFile(real));
        }
        return { files };
      });
    },
  } satisfies Partial<Api>;
}
