import type { Parameter } from '../../../../shared/runbook';
import type { UploadInfo } from '../../../../shared/uploads';

/** A file chosen for a file parameter: an upload (browser, example, re-run) or, in the desktop app, a host path. */
export type FileChoice = { kind: 'upload'; id: string; name: string } | { kind: 'host'; path: string; name: string };

/** A file field's value holds one choice per line: `upload:<id>:<name>`, or a host path. */
const UPLOAD_LINE = /^upload:([0-9a-f]{16}):(.+)$/;

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export function fileChoices(value: string): FileChoice[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const upload = UPLOAD_LINE.exec(line);
      return upload ? { kind: 'upload', id: upload[1], name: upload[2] } : { kind: 'host', path: line, name: baseName(line) };
    });
}

export const fileValue = (choices: FileChoice[]): string => choices.map((c) => (c.kind === 'upload' ? `upload:${c.id}:${c.name}` : c.path)).join('\n');

export const uploadChoice = (u: UploadInfo): FileChoice => ({ kind: 'upload', id: u.id, name: u.name });

/**
 * Whether a file fits an `accept` list as `<input type=file>` reads it: extensions
 * (`.txt`), exact media types (`application/pdf`) and wildcards (`image/*`); no list accepts all.
 */
export function accepts(accept: string | undefined, file: { name: string; type: string }): boolean {
  const tokens = (accept ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (tokens.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return tokens.some((t) => (t.startsWith('.') ? name.endsWith(t) : t.endsWith('/*') ? type.startsWith(t.slice(0, -1)) : type === t));
}

/** The run's `params`, host `files` and `uploads`: the runbook sees each file as /app/assets/<name>. */
export function runInput(parameters: Parameter[], values: Record<string, string>) {
  const params: Record<string, string> = {};
  const files: string[] = [];
  const uploads: string[] = [];
  for (const p of parameters) {
    const value = values[p.name] ?? '';
    if (p.type === 'file') {
      const chosen = fileChoices(value);
      for (const c of chosen) {
        if (c.kind === 'upload') uploads.push(c.id);
        else files.push(c.path);
      }
      if (chosen.length) params[p.name] = chosen.map((c) => `/app/assets/${c.name}`).join(', ');
    } else if (value !== '') {
      params[p.name] = value;
    }
  }
  return { params, files, uploads };
}
