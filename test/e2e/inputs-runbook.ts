import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatRequest } from '../helpers/scripted-model-server';
import { commandThenReport } from './runnable-jetty';

const HELLO = path.resolve('resources/examples/demo/hello-report/RUNBOOK.md');

/** The runbook with file inputs the e2e tests use, beside the generated ones: `issue15/word-input`. */
export const INPUTS_RUNBOOK = { collection: 'issue15', name: 'word-input' };
export const EXAMPLE_TEXT = 'example notes from the manifest\n';

/**
 * Adds `runbooks/issue15/word-input` to a generated folder: hello-report reading a `notes`
 * file parameter (manifest: `.txt` only, several files), a password parameter, and an
 * example input (`examples/short/notes.txt`, name Ada).
 */
export async function addInputsRunbook(root: string): Promise<string> {
  const dir = path.join(root, 'runbooks', INPUTS_RUNBOOK.collection, INPUTS_RUNBOOK.name);
  await mkdir(path.join(dir, 'examples', 'short'), { recursive: true });
  const hello = await readFile(HELLO, 'utf8');
  const text = hello
    .replace('Write a greeting for {{name}}', 'Read {{notes}}, then write a greeting for {{name}}')
    .replace('| Times |', '| Notes | `{{notes}}` | *(required)* | Text files to read |\n| Times |');
  await writeFile(path.join(dir, 'RUNBOOK.md'), text);
  await writeFile(path.join(dir, 'examples', 'short', 'notes.txt'), EXAMPLE_TEXT);
  await writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      title: 'Word input',
      inputs: [
        { label: 'Notes', type: 'files', required: true, accept: '.txt', description: 'Text files to read.' },
        { label: 'Api password', type: 'password', required: false },
      ],
      example_outputs: [{ id: 'short', title: 'Short notes for Ada', input: { file: 'examples/short/notes.txt', values: { name: 'Ada' } } }],
    }),
  );
  return path.join(dir, 'RUNBOOK.md');
}

/** The greeted name in the rendered runbook the agent got. */
function greeted(request: ChatRequest): string {
  const text = request.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  return /write a greeting for (.+?) repeated/.exec(text)?.[1] ?? 'nobody';
}

/** First a bash call that names the greeted name and prints every input file, then hello-report. */
export const showInputsThenReport = commandThenReport((request) => `echo "inputs for ${greeted(request)}:"; for f in /app/assets/*; do echo "== $f"; cat "$f"; done`);
