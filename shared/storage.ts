import { z } from 'zod';

/** Where a collection keeps its artifacts. `local` (the data folder) is the default. */
export const STORAGE_BACKENDS = ['local', 's3', 'r2', 'gcs'] as const;
export type StorageBackendName = (typeof STORAGE_BACKENDS)[number];

const Bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name: 3–63 lower-case letters, digits, "." or "-"');
const Prefix = z
  .string()
  .max(512)
  .regex(/^(?!\/)(?!.*\.\.)[\w./=-]*$/, 'a key prefix: letters, digits, "_", "-", ".", "=" and "/", no leading "/" and no ".."')
  .default('');

/**
 * A collection's storage settings: nothing secret (credentials come from the vault or the
 * environment, never from here). `endpoint` overrides the backend's default URL (R2:
 * `https://<account>.r2.cloudflarestorage.com`; any S3-compatible server); `pruneLocal`
 * deletes a local copy once its upload is verified by sha256.
 */
export const StorageSettingsSchema = z.discriminatedUnion('backend', [
  z.object({ backend: z.literal('local') }),
  z.object({
    backend: z.enum(['s3', 'r2', 'gcs']),
    bucket: Bucket,
    prefix: Prefix,
    region: z.string().max(64).optional(),
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    forcePathStyle: z.boolean().optional(),
    pruneLocal: z.boolean().default(false),
  }),
]);
export type StorageSettings = z.infer<typeof StorageSettingsSchema>;
export type RemoteStorageSettings = Exclude<StorageSettings, { backend: 'local' }>;

/** Why a storage call failed, as the "Test connection" action and the upload queue report it. */
export const STORAGE_FAILURES = ['bad_credentials', 'no_bucket', 'no_network', 'clock_skew', 'not_found', 'refused'] as const;
export type StorageFailure = (typeof STORAGE_FAILURES)[number];

/** A file waiting for (or done with) its upload: a run's artifact, an uploaded input file, or a trajectory's export. */
export const UploadEntrySchema = z.object({
  kind: z.enum(['artifact', 'input', 'export']),
  /** '' for an input uploaded to the collection alone. */
  trajectoryId: z.string(),
  path: z.string(),
  size: z.number().int(),
  state: z.enum(['pending', 'done']),
  location: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  localPruned: z.boolean(),
});
export type UploadEntry = z.infer<typeof UploadEntrySchema>;

export const ConnectionTestSchema = z.union([
  z.object({ ok: z.literal(true), location: z.string(), millis: z.number() }),
  z.object({ ok: z.literal(false), location: z.string(), failure: z.enum(STORAGE_FAILURES), message: z.string() }),
]);
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;
