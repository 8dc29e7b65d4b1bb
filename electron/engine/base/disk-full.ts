/** The error codes that say the disk (or the user's quota, or SQLite's file) is full. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/**
 * Whether an error says the disk is full: a file system's ENOSPC or EDQUOT (the user's
 * quota), or SQLite's SQLITE_FULL — the one check for every place that writes.
 */
export const isNoSpace = (error: unknown): boolean => NO_SPACE.has(String((error as { code?: unknown } | null)?.code ?? ''));
