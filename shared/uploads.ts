import { z } from 'zod';

/** An upload's id: 16 hex characters, the name of its folder under `<dataDir>/uploads`. */
export const UPLOAD_ID_PATTERN = /^[0-9a-f]{16}$/;
export const UploadIdSchema = z.string().regex(UPLOAD_ID_PATTERN, 'an upload id is 16 hex characters');

/** A file uploaded for a run (over `POST /api/v1/uploads`, or copied from an example or a desktop pick). */
export const UploadInfoSchema = z.object({ id: z.string(), name: z.string(), size: z.number().int().nonnegative() });
export type UploadInfo = z.infer<typeof UploadInfoSchema>;

/** What a run was started from, kept for Re-run: its runbook and input files. */
export const RunInputsSchema = z.object({ runbookPath: z.string().nullable(), files: z.array(UploadInfoSchema) });
export type RunInputs = z.infer<typeof RunInputsSchema>;

/** The upload route (raw bytes in the body, the file name in `?name=`). */
export const UPLOADS_PATH = '/api/v1/uploads';
