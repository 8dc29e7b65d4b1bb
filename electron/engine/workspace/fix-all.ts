import { analyzeRunbookFile } from '../runbook';
import { readTextFile } from '../runbook/read-file';
import { applyEdits } from '../runbook/text-edits';

/** Quick fixes applied to one file at most, a bound on a fix that would not settle. */
const MAX_FIXES_PER_FILE = 200;

/**
 * Applies the quick fix of every `code` diagnostic of each runbook, one at a time (each fix
 * is made against the text the previous one left, so their ranges stay true), and saves the
 * files that changed. Returns how many fixes were applied and to which files.
 */
export async function fixAllInFiles(files: readonly string[], code: string, save: (file: string, text: string) => Promise<void>): Promise<{ fixed: number; files: string[] }> {
  let fixed = 0;
  const changed: string[] = [];
  for (const file of files) {
    const original = await readTextFile(file);
    let text = original;
    for (let i = 0; i < MAX_FIXES_PER_FILE; i++) {
      const fix = (await analyzeRunbookFile(file, text)).diagnostics.find((d) => d.code === code && d.fix)?.fix;
      if (!fix) break;
      const next = applyEdits(text, fix.edits);
      if (next === text) break;
      text = next;
      fixed++;
    }
    if (text !== original) {
      await save(file, text);
      changed.push(file);
    }
  }
  return { fixed, files: changed };
}
