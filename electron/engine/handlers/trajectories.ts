import { realpath } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import path from 'node:path';
import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import type { Trajectory } from '../../../shared/trajectory';
import type { LocalServices } from '../local-services';
import type { EngineOperations } from '../operations';
import { StoreError } from '../store';
import { importableDocument } from '../trajectories/cloud-summary';
import { importInPieces } from '../trajectories/import-in-pieces';
import { atifWithInlineImages } from '../trajectories/atif-files';
import { modelCallConversation } from '../trajectories/model-call-conversation';
import { cloudCall } from './cloud';
import { filePreview, localPreviewBytes, MAX_PREVIEW_BYTES } from './file-preview';

/** Store errors become API errors the UI can show as they are. */
const asApiError = (err: unknown): unknown => (err instanceof StoreError ? new ApiError(err.code === 'not_found' ? 'not_found' : 'invalid_input', err.message) : err);

function storeCall<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    throw asApiError(err);
  }
}

/**
 * The first MAX_PREVIEW_BYTES (and one more, to tell a longer file) of an artifact: from
 * its local copy, else from the storage backend it was uploaded to (local copy pruned).
 */
async function previewBytes(services: LocalServices, id: string, artifactPath: string): Promise<Buffer> {
  const range = { start: 0, end: MAX_PREVIEW_BYTES };
  const root = await realpath(path.join(services.dataDir, 'artifacts', id)).catch(() => null);
  const file = root && (await realpath(path.join(root, artifactPath)).catch(() => null));
  const inside = Boolean(root && file && file.startsWith(root + path.sep));
  const uploaded = inside ? null : await services.storage.openUploaded(id, artifactPath, range);
  if (!inside && !uploaded) {
    throw new ApiError('not_found', `the file of artifact ${artifactPath} is not in this data folder (imported trajectories carry no files)`);
  }
  return uploaded ? buffer(uploaded.stream) : localPreviewBytes(file!);
}

/** Trajectory browsing, labels, export/import and artifact previews. */
export function trajectoryHandlers(services: LocalServices, operations: EngineOperations) {
  const { store } = services;
  const require = (id: string): Trajectory => {
    const t = store.getTrajectory(id);
    if (!t) throw new ApiError('not_found', `no trajectory ${id}`);
    return t;
  };

  return {
    'trajectory.list': async (query) => storeCall(() => store.listTrajectories(query)),
    'trajectory.get': async ({ id }) => require(id),
    'trajectory.children': async ({ id, limit }) => storeCall(() => store.trajectoryChildren(id, limit ?? 200)),
    'trajectory.relations': async ({ id }) => storeCall(() => store.trajectoryRelations(id)),
    'trajectory.facets': async () => store.trajectoryFacets(),
    'trajectory.events': async ({ id, afterSeq, limit }) => {
      require(id);
      store.flushEvents(id); // the UI may hold live events newer than the last commit
      return { events: store.listEvents(id, { afterSeq, limit }), total: store.countEvents(id) };
    },
    'trajectory.modelCall': async ({ id, seq }) => {
      require(id);
      store.flushEvents(id);
      const [event] = store.listEvents(id, { afterSeq: seq - 1, limit: 1 });
      if (event?.seq !== seq || event.type !== 'model_call') throw new ApiError('not_found', `trajectory ${id} has no model call at event ${seq}`);
      return modelCallConversation(store.conversations(), id, event.payload);
    },
    'trajectory.renderedRunbook': async ({ id }) => {
      require(id);
      return { text: store.conversations().renderedRunbook(id) };
    },
    'trajectory.export': async ({ id }) => storeCall(() => store.exportTrajectory(id)),
    'trajectory.exportAtif': async ({ id }) => {
      require(id);
      return { document: (await atifWithInlineImages(store, path.join(services.dataDir, 'artifacts'), id)) as unknown as Record<string, unknown> };
    },
    'trajectory.import': async ({ document }) => {
      const doc = storeCall(() => importableDocument(document));
      return { id: await importInPieces(store, doc).catch((err: unknown) => Promise.reject(asApiError(err))) };
    },
    'trajectory.artifact': async ({ id, path: wanted }) => {
      const artifact = require(id).artifacts.find((a) => a.path === wanted);
      if (!artifact) throw new ApiError('not_found', `trajectory ${id} has no artifact ${wanted}`);
      return filePreview(artifact.path, artifact.media_type, artifact.size, await previewBytes(services, id, artifact.path));
    },
    'label.add': async ({ id, label }) => {
      await cloudCall(() => operations.addLabel(id, label)).catch((err: unknown) => {
        throw asApiError(err);
      });
      return require(id);
    },
    'label.remove': async ({ id, key, value }) => {
      storeCall(() => store.removeLabel(id, key, value));
      return require(id);
    },
  } satisfies Partial<Api>;
}
