import type { RunbookEntry } from '../../../../shared/runbook';
import { placeOf } from './collection-place';

/** A collection or sub-collection: its own runbooks, its sub-collections, and totals over everything under it. */
export interface CollectionGroup {
  /** The path from the top collection, e.g. "gooseworks-ai/composites": unique in a folder. */
  key: string;
  collection: string;
  depth: number;
  runbooks: RunbookEntry[];
  children: CollectionGroup[];
  total: number;
  errors: number;
  warnings: number;
  infos: number;
}

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });

function sortTree(groups: Iterable<CollectionGroup>): CollectionGroup[] {
  return [...groups]
    .sort((a, b) => byName(a.collection, b.collection))
    .map((g) => ({ ...g, runbooks: g.runbooks.sort((a, b) => byName(a.name, b.name)), children: sortTree(g.children) }));
}

/**
 * An opened folder's runbooks as a tree of collections (`runbooks/{collection}/…`, see
 * placeOf), sub-collections nested under their collection, sorted naturally by name, with
 * diagnostic totals. `keep` (given the runbook and its collection path) leaves runbooks
 * out; collections left empty are dropped.
 */
export function groupByCollection(folder: string, runbooks: RunbookEntry[], keep: (rb: RunbookEntry, where: string) => boolean = () => true): CollectionGroup[] {
  const top = new Map<string, CollectionGroup>();
  const nodes = new Map<string, CollectionGroup>();
  const nodeAt = (path: string[]): CollectionGroup => {
    const key = path.join('/');
    let node = nodes.get(key);
    if (!node) {
      node = { key, collection: path[path.length - 1], depth: path.length - 1, runbooks: [], children: [], total: 0, errors: 0, warnings: 0, infos: 0 };
      nodes.set(key, node);
      if (path.length === 1) top.set(key, node);
      else nodeAt(path.slice(0, -1)).children.push(node);
    }
    return node;
  };
  for (const rb of runbooks) {
    const place = placeOf(folder, rb.path);
    const path = [place.collection, ...place.subCollections];
    if (!keep(rb, path.join('/'))) continue;
    nodeAt(path).runbooks.push(rb);
    for (let depth = 1; depth <= path.length; depth++) {
      const node = nodeAt(path.slice(0, depth));
      node.total++;
      node.errors += rb.errors;
      node.warnings += rb.warnings;
      node.infos += rb.infos;
    }
  }
  return sortTree(top.values());
}
