import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
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
export function fileRoutes(deps: { dataDir: string; catalog: CatalogView }): Route[] {
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
          return { path: relative, file_path: relative, filename: file.filename, size: file.size, content_type: file.contentType, collection };
        } finally {
          await rm(form.tempDir, { recursive: true, force: true });
        }
      },
      { status: 201 },
    ),
    rest('GET', '/file/*path', async ({ params, res }) => {
      const file = await resolveDownload(deps.dataDir, params.path);
      // Served as a download: never rendered as a page of this origin.
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-disposition': `attachment; filename="${path.basename(file).replace(/[^\w.-]/g, '_')}"`,
      });
      await pipeline(createReadStream(file), res);
    }),
  ];
}
