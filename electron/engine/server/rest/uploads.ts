import { UPLOADS_PATH } from '../../../../shared/uploads';
import { UploadError, type DraftUploads } from '../../uploads/draft-uploads';
import type { Route } from '../router';
import { API_PREFIX, HttpError, rest } from './http';

/**
 * `POST /api/v1/uploads?name=<file name>`: the body's bytes, streamed into a new draft upload
 * (201 `{id, name, size}`); 400 for a name with folders or `..`, 413 past the size limit
 * (at once when Content-Length says so). The token is required, as on every non-public route.
 */
export function uploadRoutes(deps: { uploads: DraftUploads }): Route[] {
  return [
    rest(
      'POST',
      UPLOADS_PATH.slice(API_PREFIX.length),
      async ({ req, url }) => {
        if (Number(req.headers['content-length'] ?? 0) > deps.uploads.maxBytes) {
          req.resume();
          throw new HttpError(413, `the file is larger than the upload limit of ${deps.uploads.maxBytes} bytes`);
        }
        try {
          return await deps.uploads.save(url.searchParams.get('name') ?? '', req);
        } catch (error) {
          if (error instanceof UploadError) throw new HttpError(error.status, error.message);
          throw error;
        }
      },
      { status: 201 },
    ),
  ];
}
