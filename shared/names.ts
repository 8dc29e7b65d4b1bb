import { z } from 'zod';

/**
 * The one rule for collection and task names, checked by every front door (REST, chat
 * runbook mode, the contract's methods, import, the store). Such names become folder
 * names (`chat-runbooks/<collection>/<task>/`, `<folder>/<collection>/<name>/`) and URL
 * segments (`flows.jetty.io/<collection>/<task>`), so a name is one safe path segment:
 * 1–100 ASCII letters, digits, ".", "_" or "-", starting with a letter or digit, with no
 * ".." and no final "." (Windows drops it, so `a.` would be the folder `a`). Every
 * collection and task in the cloud's docs and the corpus (`jettyio`, `figma-draw`,
 * `my-org`, `supabase-postgres-best-practices`) fits.
 */
export const NAME_PATTERN = /^(?!.*\.\.)(?!.*\.$)[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const NAME_RULE = 'use letters, digits, ".", "_" or "-" (1–100 of them, starting with a letter or digit, with no ".." and no final ".")';

export const isName = (value: string): boolean => NAME_PATTERN.test(value);

/** A collection or task name (see NAME_PATTERN). */
export const NameSchema = z.string().regex(NAME_PATTERN, NAME_RULE);

/**
 * `value` as a name: a valid name is kept; otherwise accents are dropped, each run of other
 * characters becomes "-", ".." becomes ".", and leading punctuation and trailing "." / "-"
 * go (`My Stuff` → `My-Stuff`, `café notes` → `cafe-notes`); `fallback` when nothing is left.
 * Used where a name comes from a folder the user named freely, e.g. a local run's collection.
 */
export function toName(value: string, fallback = 'local'): string {
  if (isName(value)) return value;
  const slug = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100)
    .replace(/[.-]+$/, '');
  return isName(slug) ? slug : fallback;
}

/** How the segments of a nested collection's path are joined into one collection name. */
export const COLLECTION_PATH_SEPARATOR = '__';

/**
 * A collection's place as a path of names (`gooseworks-ai/composites`) as one collection
 * name, since a name holds no "/" (the cloud's URLs and folders take one segment): the
 * segments joined with "__" (`gooseworks-ai__composites`). A name without "/" is itself.
 * Reversible (`collectionPathOf`) because a segment of a path may not contain "__" nor end
 * with "_" (refused, saying why); a plain name holding "__" is kept, and reads as a path. Throws with the reason when the path cannot be a collection name.
 */
export function collectionNameOf(collectionPath: string): string {
  const segments = collectionPath.split('/');
  for (const segment of segments) {
    if (!isName(segment)) throw new Error(`collection path '${collectionPath}': '${segment}' is not a name (${NAME_RULE})`);
    if (segments.length > 1 && (segment.includes(COLLECTION_PATH_SEPARATOR) || segment.endsWith('_'))) {
      throw new Error(`collection path '${collectionPath}': '${segment}' holds "__" or ends with "_", which the path's name would not keep apart from "/"`);
    }
  }
  const name = segments.join(COLLECTION_PATH_SEPARATOR);
  if (!isName(name)) throw new Error(`collection path '${collectionPath}' is longer than a collection name may be (100 characters as '${name.slice(0, 24)}…')`);
  return name;
}

/** The path a collection name stands for (`gooseworks-ai__composites` → `gooseworks-ai/composites`); a plain name is itself. */
export const collectionPathOf = (name: string): string => name.split(COLLECTION_PATH_SEPARATOR).join('/');

/** A collection name, or a nested collection's path of names (`gooseworks-ai/composites`) that `collectionNameOf` encodes. */
export const CollectionPathSchema = z.string().superRefine((value, ctx) => {
  try {
    collectionNameOf(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
