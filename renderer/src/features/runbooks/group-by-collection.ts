import type { RunbookEntry } from '../../../../shared/runbook';

export interface CollectionGroup {
  collection: string;
  runbooks: RunbookEntry[];
  errors: number;
  warnings: number;
  infos: number;
}

/** Runbooks grouped by collection, collections and runbooks sorted by name, with totals. */
export function groupByCollection(runbooks: RunbookEntry[]): CollectionGroup[] {
  const groups = new Map<string, CollectionGroup>();
  for (const rb of runbooks) {
    let group = groups.get(rb.collection);
    if (!group) groups.set(rb.collection, (group = { collection: rb.collection, runbooks: [], errors: 0, warnings: 0, infos: 0 }));
    group.runbooks.push(rb);
    group.errors += rb.errors;
    group.warnings += rb.warnings;
    group.infos += rb.infos;
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });
  return [...groups.values()]
    .sort((a, b) => byName(a.collection, b.collection))
    .map((g) => ({ ...g, runbooks: g.runbooks.sort((a, b) => byName(a.name, b.name)) }));
}
