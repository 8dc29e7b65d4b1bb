import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What a generated runbook is meant to lint as. */
export type RunbookKind = 'clean' | 'error' | 'warning' | 'hint';

export interface GeneratedRunbook {
  path: string;
  /** Collection path as `runbooks/{collection}/…` defines it, e.g. "acme/composites". */
  where: string;
  name: string;
  kind: RunbookKind;
}

/** Where generated runbooks go: top collections, some with sub-collections (one two deep). */
const PLACES = ['acme', 'acme/composites', 'acme/capabilities', 'billing', 'data-eng', 'data-eng/pipelines', 'ops', 'ops/db/postgres', 'research', 'security'];
const WORDS = ['rotate-logs', 'weekly-report', 'invoice-check', 'schema-diff', 'lead-finder', 'deck-builder', 'cost-audit', 'backup-restore', 'trace-review', 'release-notes'];
const KINDS: RunbookKind[] = ['clean', 'clean', 'error', 'warning', 'hint', 'clean', 'hint', 'clean', 'error', 'clean', 'warning'];

/** A runbook text that lints as `kind`: clean; an undeclared variable (error); no final checklist (warning); no iteration step (hint). */
function runbookText(title: string, kind: RunbookKind): string {
  const extra = kind === 'error' ? ' for {{undeclared_team}}' : '';
  return `---
version: "1.0.0"
evaluation: programmatic
agent: builtin
snapshot: python312-uv
title: ${title}
secrets: {}
---

# ${title}

## Objective

Read the CSV in \`/app/assets\`, compute totals${extra} and write \`{{results_dir}}/report.md\`.

## REQUIRED OUTPUT FILES

| File | Description |
|---|---|
| \`{{results_dir}}/report.md\` | The report |
| \`{{results_dir}}/summary.md\` | What was done |
| \`{{results_dir}}/validation_report.json\` | Checks with \`overall_passed\` |

## Parameters

| Parameter | Template Variable | Default | Description |
|---|---|---|---|
| Results directory | \`{{results_dir}}\` | \`/app/results\` | Where outputs go |

## Step 1: Environment Setup

\`\`\`bash
mkdir -p {{results_dir}}
\`\`\`

## Step 2: Evaluate

Write \`{{results_dir}}/validation_report.json\` with \`overall_passed\`.
${
  kind === 'hint'
    ? ''
    : `
## Step 3: Iterate

If a check fails, fix it and evaluate again (max 3 rounds).
`
}${
  kind === 'warning'
    ? ''
    : `
## Final Checklist

\`\`\`bash
test -f {{results_dir}}/report.md && test -f {{results_dir}}/summary.md
\`\`\`
`
}`;
}

/**
 * Writes `count` runbooks under `<folder>/runbooks/`, spread over collections and nested
 * sub-collections, a mix of clean ones and ones with errors, warnings and hints.
 */
export async function generateRunbooks(folder: string, count: number): Promise<GeneratedRunbook[]> {
  const made: GeneratedRunbook[] = [];
  for (let i = 0; i < count; i++) {
    const where = PLACES[i % PLACES.length];
    const name = `${WORDS[Math.floor(i / PLACES.length) % WORDS.length]}-${i}`;
    const kind = KINDS[i % KINDS.length];
    const dir = path.join(folder, 'runbooks', ...where.split('/'), name);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'RUNBOOK.md');
    await writeFile(file, runbookText(`${name.replace(/-/g, ' ')} (${where})`, kind));
    made.push({ path: file, where, name, kind });
  }
  return made;
}
