import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Diagnostic, RunbookAnalysis } from '../../../shared/runbook';
import { analyzeRunbookFile } from '../../engine/runbook';
import { TextFileError } from '../../engine/runbook/read-file';
import { lintWorkflowText, type WorkflowLint } from '../../engine/workflows/lint';
import { findRunbooks } from '../../engine/workspace/find-runbooks';
import type { Command } from '../command';
import { UsageError } from '../usage-error';

const usage = `Usage: jetty lint [--json] <file-or-folder>...

Checks runbooks and prints diagnostics like a compiler:
  path:line:column severity code message
Folders are searched recursively for RUNBOOK.md. A .json file is checked as a workflow
(or a task document {name, description, workflow}).

Options:
  --json    print an array of analyses: {path, frontmatter, parameters, secrets,
            variables, diagnostics, ...} instead of text

Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 bad usage or an
unreadable path.`;

function parse(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`lint: ${(err as Error).message}`);
  }
}

/** The runbook files a path stands for: itself, or every RUNBOOK.md under a folder. */
async function runbooksAt(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new UsageError(`lint: cannot read '${target}': no such file or folder`);
  if (!info.isDirectory()) return [path.resolve(target)];
  const found = await findRunbooks(path.resolve(target)).catch((err: Error) => {
    throw new UsageError(`lint: cannot read folder '${target}': ${err.message}`);
  });
  if (found.length === 0) throw new UsageError(`lint: no RUNBOOK.md found under '${target}'`);
  return found;
}

async function analyze(file: string): Promise<RunbookAnalysis | WorkflowLint> {
  if (file.endsWith('.json')) {
    const text = await readFile(file, 'utf8').catch((err: Error) => {
      throw new UsageError(`lint: cannot read '${file}': ${err.message}`);
    });
    return lintWorkflowText(file, text);
  }
  try {
    return await analyzeRunbookFile(file);
  } catch (err) {
    if (err instanceof TextFileError) throw new UsageError(`lint: ${err.message}`);
    throw err;
  }
}

const shown = (file: string) => {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
};

function formatDiagnostic(file: string, d: Diagnostic): string {
  const head = `${shown(file)}:${d.range.line}:${d.range.column} ${d.severity} ${d.code} ${d.message}`;
  return d.hint ? `${head}\n    hint: ${d.hint}` : head;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const lint: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parse(args);
    if (positionals.length === 0) throw new UsageError(`lint: give at least one RUNBOOK.md or folder.\n${usage}`);
    const files = new Set<string>();
    for (const target of positionals) for (const file of await runbooksAt(target)) files.add(file);

    const analyses: (RunbookAnalysis | WorkflowLint)[] = [];
    for (const file of files) analyses.push(await analyze(file));
    const all = analyses.flatMap((a) => a.diagnostics);
    const count = (severity: Diagnostic['severity']) => all.filter((d) => d.severity === severity).length;

    if (values.json) {
      process.stdout.write(`${JSON.stringify(analyses, null, 2)}\n`);
    } else {
      const lines = analyses.flatMap((a) => a.diagnostics.map((d) => formatDiagnostic(a.path, d)));
      lines.push(
        `${plural(analyses.length, 'runbook')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info')}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return count('error') > 0 ? 1 : 0;
  },
};
