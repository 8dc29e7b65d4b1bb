/** Where a runbook sits in the collection tree: its collection, the sub-collections under it, its name. */
export interface CollectionPlace {
  collection: string;
  subCollections: string[];
  name: string;
}

const segments = (p: string) => p.split(/[\\/]/).filter(Boolean);

/**
 * A runbook's place as `runbooks/{collection}/…/{name}/RUNBOOK.md` defines it: the folder
 * after `runbooks/` is the collection, folders between it and the runbook's own folder are
 * sub-collections. Outside a `runbooks/` folder the first folder under the opened one is
 * the collection; a runbook directly in the opened folder belongs to a collection named
 * after that folder.
 */
export function placeOf(folder: string, runbookPath: string): CollectionPlace {
  const dir = segments(runbookPath).slice(0, -1);
  for (let i = dir.length - 3; i >= 0; i--) {
    if (dir[i] === 'runbooks') return { collection: dir[i + 1], subCollections: dir.slice(i + 2, -1), name: dir[dir.length - 1] };
  }
  const root = segments(folder);
  const rel = dir.slice(root.length);
  const own = root[root.length - 1] ?? folder;
  if (rel.length < 2) return { collection: own, subCollections: [], name: rel[0] ?? own };
  return { collection: rel[0], subCollections: rel.slice(1, -1), name: rel[rel.length - 1] };
}
