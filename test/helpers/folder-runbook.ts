// A runbook that needs its folder and a file input, as real runbooks do: RUNBOOK.md beside a
// script (executable), a Python program reading reference data under refs/, and a manifest
// whose file input the run gets in /app/assets. Runs with the built-in agent against the
// scripted model server (the script below).
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { callTools, type Script } from './scripted-model-server';

export const FOLDER_RUNBOOK = `---
version: "1.0.0"
agent: builtin
model: scripted-model
---

# Folder report

Run \`./hello.sh\` and \`python3 gen.py\` from the working directory; gen.py reads
\`refs/pelican.txt\` and the notes file {{notes}}, and writes \`/app/results/report.txt\`.

## Parameters

| Parameter | Template Variable | Default | Description |
|---|---|---|---|
| Notes | \`{{notes}}\` | *(required)* | A text file of notes |

## REQUIRED OUTPUT FILES (MANDATORY)

| File | Description |
|---|---|
| \`/app/results/report.txt\` | What gen.py made of its reference and the notes |

## Evaluation

Write /app/results/validation_report.json.
`;

const GEN = `import pathlib, sys
ref = pathlib.Path("refs/pelican.txt").read_text().strip()
notes = pathlib.Path(sys.argv[1]).read_text().strip()
pathlib.Path("/app/results/report.txt").write_text(f"drawn from: {ref}; notes: {notes}\\n")
`;

/** What the script prints from the folder, and the reference data gen.py reads. */
export const HELLO_LINE = 'hello from the folder';
export const REFERENCE = 'a pelican on a bicycle';
/** The folder's files as a run (local or remote) gets them. */
export const FOLDER_FILES = ['gen.py', 'hello.sh', 'manifest.json', 'refs/pelican.txt', 'RUNBOOK.md'];

/** Writes the runbook's folder at `<root>/<collection>/<name>/`; returns its RUNBOOK.md. */
export async function writeFolderRunbook(root: string, collection = 'acme', name = 'folder-report'): Promise<string> {
  const folder = path.join(root, collection, name);
  await mkdir(path.join(folder, 'refs'), { recursive: true });
  await writeFile(path.join(folder, 'RUNBOOK.md'), FOLDER_RUNBOOK);
  await writeFile(path.join(folder, 'gen.py'), GEN);
  await writeFile(path.join(folder, 'hello.sh'), `#!/bin/sh\necho "${HELLO_LINE}: $(pwd)"\n`);
  await chmod(path.join(folder, 'hello.sh'), 0o755);
  await writeFile(path.join(folder, 'refs', 'pelican.txt'), REFERENCE);
  await writeFile(
    path.join(folder, 'manifest.json'),
    JSON.stringify({ title: 'Folder report', inputs: [{ label: 'Notes', type: 'file', required: true, accept: '.txt', description: 'A text file of notes' }] }),
  );
  return path.join(folder, 'RUNBOOK.md');
}

/** The command the agent runs: the folder's script and program from the working directory, then the input file as the sandbox sees it. */
export const FOLDER_COMMAND = 'cd /app && ls -a . refs /app/assets && ./hello.sh && python3 gen.py /app/assets/notes.txt && cat /app/results/report.txt';

/** The model's side of a run of the folder runbook: the command, the validation report, finish. */
export const folderRunbookScript: Script = (request) => {
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  if (turns === 0) return callTools({ name: 'bash', arguments: { command: FOLDER_COMMAND } });
  if (turns === 1) {
    return callTools({ name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}' } });
  }
  return callTools({ name: 'finish', arguments: { summary: 'report written' } });
};
