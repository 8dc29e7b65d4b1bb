import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { parseRange, type ByteRange, type StorageService } from '../../storage';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { checkRelativePath, filesRoot, resolveDownload } from './files-root';
import { HttpError, rest } from './http';
import { readMultipart, storageFailure } from './multipart';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.html': 'text/plain; charset=utf-8',
  '.svg': 'text/plain; charset=utf-8',
};

/** Temp uploads live beside their destination so moving them in is a rename. */
export const incomingDir = (dataDir: string) => path.join(filesRoot(dataDir), '.incoming');

/** `POST /files/upload` (multipart `file` + `collection`) and `GET /file/{path}`. */
export function fileRoutes(deps: { dataDir: string; catalog: CatalogView; storage: StorageService }): Route[] {
  const root = filesRoot(deps.dataDir);
  return [
    rest(
      'POST',
      '/files/upload',
      async ({ req }) => {
        const form = await readMultipart(req, incomingDir(deps.dataDir));
        try {
          const collection = form.fields.collection ?? '';
          const file = form.files.find((f) => f.field === 'file');
          if (!collection) throw new HttpError(422, 'collection: required');
          if (!file) throw new HttpError(422, 'file: required (-F "file=@path")');
          if (!(await deps.catalog.collection(collection))) throw new HttpError(404, `no collection named '${collection}'`);
          const relative = `${collection}/uploads/${randomBytes(4).toString('hex')}/${file.filename}`;
          const dest = path.join(root, ...checkRelativePath(relative));
          await mkdir(path.dirname(dest), { recursive: true }).catch((error: unknown) => {
            throw storageFailure(error);
          });
          await rename(file.tempPath, dest);
          // Written here first; a collection with a remote backend gets it from the upload queue.
          await deps.storage.enqueueInput(collection, relative);
          return { path: relative, file_path: relative, filename: file.filename, size: file.size, content_type: file.contentType, collection };
        } finally {
          await rm(form.tempDir, { recursive: true, force: true });
        }
      },
      { status: 201 },
    ),
    rest('GET', '/file/*path', async ({ params, req, res }) => {
      const name = path.basename(params.path);
      const local = await resolveDownload(deps.dataDir, params.path).catch((error: unknown) => error as HttpError);
      if (!(local instanceof Error)) {
        const size = (await stat(local)).size;
        return send(res, name, size, req.headers.range, (range) => createReadStream(local, range ?? {}));
      }
      // An artifact or an uploaded input whose local copy was pruned after a verified upload: read from its backend.
      const segments = checkRelativePath(params.path);
      const [first, id, ...rest] = segments;
      const artifact = first === 'artifacts' && id && rest.length > 0;
      const inputPath = segments.join('/');
      const record = artifact ? deps.storage.upload(id, rest.join('/')) : deps.storage.inputUpload(inputPath);
      if (local.status !== 404 || !record || record.state !== 'done') throw local;
      const open = artifact ? (range?: ByteRange) => deps.storage.openUploaded(id, rest.join('/'), range) : (range?: ByteRange) => deps.storage.openInput(inputPath, range);
      return send(res, name, record.size, req.headers.range, async (range) => (await open(range))!.stream);
    }),
  ];
}

/**
 * Streams a file (all, or the one range asked for) as a download: never rendered as a page
 * of this origin.
 */
async function send(res: ServerResponse, name: string, size: number, rangeHeader: string | undefined, open: (range?: ByteRange) => Readable | Promise<Readable>): Promise<void> {
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') throw new HttpError(416, `range ${rangeHeader} is outside the file's ${size} bytes`);
  const stream = await open(range ?? undefined);
  res.writeHead(range ? 206 : 200, {
    'content-type': CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
    'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
    'accept-ranges': 'bytes',
    'content-length': String(range ? range.end - range.start + 1 : size),
    ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${size}` } : {}),
  });
  await pipeline(stream, res);
}
