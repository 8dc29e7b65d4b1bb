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
