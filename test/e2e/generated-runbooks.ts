import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const HELLO = path.resolve('resources/examples/demo/hello-report/RUNBOOK.md');

/** Runbooks with a known problem each, by name, in collection `issue15` (the others are filler). */
export const SPECIAL = {
  /** hello-report as it is: the run panel's plan, a completed run that leaves out greeting.txt. */
  truth: (t: string) => t,
  /** An undeclared {{language}}: one lint error (Run anyway, a quick fix). */
  'lint-error': (t: string) => t.replace('Write a greeting for {{name}}', 'Write a greeting for {{name}} in {{language}}'),
  /** Broken YAML frontmatter. */
  'bad-yaml': (t: string) => t.replace('agent: builtin', 'agent: [builtin'),
  /** `{{ name }}` with inner spaces, and a bare-word default. */
  spaced: (t: string) =>
    t.replace('Write a greeting for {{name}}', 'Write a greeting for {{ name }} as {{format}}').replace('| Times |', '| Format | `{{format}}` | markdown_and_csv | Output format |\n| Times |'),
  /** No final checklist (RB019, a warning), silenced per runbook in the frontmatter. */
  silenced: (t: string) => withoutChecklist(t).replace('version: "1.0.0"', 'version: "1.0.0"\nlint_ignore: [RB019]'),
} as const;

/** hello-report without its final checklist: RB019 (a warning). */
const withoutChecklist = (t: string) => t.replace(/## Final Checklist[^\n]*/, '## Wrap-up');

/**
 * A folder of `count` runbooks (at least 100): collections with nested sub-collections
 * (`runbooks/{collection}/{sub}/{task}/RUNBOOK.md`), a tenth of them with a lint error,
 * team-5 without final checklists and a .jettylintrc.json that silences RB019 there, and
 * the SPECIAL ones in `issue15`.
 */
export async function generateRunbooks(root: string, count = 120): Promise<void> {
  const hello = await readFile(HELLO, 'utf8');
  const write = async (rel: string, text: string) => {
    const file = path.join(root, 'runbooks', rel, 'RUNBOOK.md');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  };
  for (const [name, edit] of Object.entries(SPECIAL)) await write(`issue15/${name}`, edit(hello));
  for (let i = 0; i < count - Object.keys(SPECIAL).length; i++) {
    const collection = `team-${i % 6}`;
    const nested = i % 3 === 0 ? `reports-${i % 4}/` : '';
    const text = i % 10 === 0 ? SPECIAL['lint-error'](hello) : i % 6 === 5 ? withoutChecklist(hello) : hello.replace('Write a greeting', `Write greeting ${i}`);
    await write(`${collection}/${nested}task-${i}`, text);
  }
  await mkdir(path.join(root, 'runbooks', 'team-5'), { recursive: true });
  await writeFile(path.join(root, 'runbooks', 'team-5', '.jettylintrc.json'), JSON.stringify({ ignore: ['RB019'] }));
}
