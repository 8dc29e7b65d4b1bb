import type { RunbookEntry } from '../../../shared/runbook';
import { readTextFile } from '../runbook/read-file';

/** Files read at once while searching runbook texts. */
const CONCURRENCY = 16;

/**
 * The runbooks (not workflow files) whose text holds every word of `query`, any case, in
 * the list's order, at most `limit`. A file that cannot be read as text matches nothing.
 */
export async function searchRunbookTexts(runbooks: readonly RunbookEntry[], query: string, limit: number): Promise<string[]> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const candidates = runbooks.filter((r) => r.kind !== 'workflow');
  if (words.length === 0) return [];
  const matches = new Array<boolean>(candidates.length).fill(false);
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const i = next++;
      const text = await readTextFile(candidates[i].path).catch(() => '');
      const lower = text.toLowerCase();
      matches[i] = words.every((w) => lower.includes(w));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return candidates.filter((_, i) => matches[i]).slice(0, limit).map((r) => r.path);
}
