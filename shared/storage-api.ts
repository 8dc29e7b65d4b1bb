import { z } from 'zod';
import { NameSchema } from './names';
import { ConnectionTestSchema, StorageSettingsSchema, UploadEntrySchema } from './storage';

/**
 * Artifact storage's part of the API contract (spread into `methods` and `events` in
 * contract.ts): a collection's storage settings, Test connection, the upload queue with
 * Retry, and copying existing artifacts after a backend switch, with progress as events.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

const Collection = z.object({ collection: NameSchema });
const TrajectoryId = z.string().regex(/^[0-9a-f]{8}$/, 'a trajectory id is 8 hex characters');

export const StorageDescriptionSchema = z.object({
  collection: z.string(),
  settings: StorageSettingsSchema,
  /** Where the keys would come from (never the keys themselves). */
  credentials: z.enum(['vault', 'environment', 'none']),
  pending: z.number().int(),
});
export type StorageDescriptionView = z.infer<typeof StorageDescriptionSchema>;

/** What copying a collection's existing artifacts to its current backend would move, by where they are now. */
export const CopyPlanSchema = z.object({
  collection: z.string(),
  to: z.string(),
  count: z.number().int(),
  bytes: z.number().int(),
  from: z.array(z.object({ location: z.string(), count: z.number().int(), bytes: z.number().int() })),
});
export type CopyPlan = z.infer<typeof CopyPlanSchema>;

export const CopyProgressSchema = z.object({
  collection: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  to: z.string(),
  total: z.number().int(),
  copied: z.number().int(),
  failed: z.number().int(),
  bytesTotal: z.number().int(),
  bytesCopied: z.number().int(),
  /** The artifact being copied (`<trajectory id>/<path>`). */
  current: z.string().nullable(),
  /** Why artifacts could not be copied (the first few). */
  errors: z.array(z.object({ trajectoryId: z.string(), path: z.string(), error: z.string() })),
});
export type CopyProgress = z.infer<typeof CopyProgressSchema>;

/** One artifact's upload state, for the replay viewer's "upload pending" marker. */
export const ArtifactUploadSchema = UploadEntrySchema.pick({ path: true, state: true, location: true, lastError: true, attempts: true, nextAttemptAt: true });

const Keys = z.object({ accessKeyId: z.string().min(1).max(256), secretAccessKey: z.string().min(1).max(1024) });

export const storageMethods = {
  /** Every known collection (created here or found in an open folder) with its storage. */
  'storage.collections': method(z.object({}), z.object({ collections: z.array(StorageDescriptionSchema) })),
  'storage.get': method(Collection, StorageDescriptionSchema),
  /** Saves the settings; keys, when given, go to the vault and are never returned. */
  'storage.configure': method(Collection.extend({ settings: StorageSettingsSchema, credentials: Keys.optional() }), StorageDescriptionSchema),
  /** Writes, reads back and deletes a probe object with `settings` (default: the saved ones). */
  'storage.test': method(Collection.extend({ settings: StorageSettingsSchema.optional() }), ConnectionTestSchema),
  'storage.uploads': method(Collection.extend({ state: z.enum(['pending', 'done']).optional() }), z.object({ uploads: z.array(UploadEntrySchema) })),
  /** Makes pending uploads (all of the collection's, or one) due now. */
  'storage.retry': method(Collection.extend({ trajectoryId: TrajectoryId.optional(), path: z.string().max(4096).optional() }), z.object({ retried: z.number().int() })),
  /** What copying existing artifacts to the current backend would move (for the confirm dialog). */
  'storage.copyPlan': method(Collection, CopyPlanSchema),
  /** Starts that copy in the background; progress arrives as `storage.progress`. */
  'storage.copy': method(Collection, CopyPlanSchema),
  /** A trajectory's artifacts' upload states (artifacts kept only locally are absent). */
  'storage.artifacts': method(z.object({ id: TrajectoryId }), z.object({ uploads: z.array(ArtifactUploadSchema) })),
} as const;

export const storageEvents = {
  /** An upload of the collection was attempted (done or failed): its queue and counts changed. */
  'storage.changed': z.object({ collection: z.string(), trajectoryId: z.string(), path: z.string(), ok: z.boolean(), error: z.string().optional() }),
  /** A backend switch's copy moved on. */
  'storage.progress': CopyProgressSchema,
} as const;
