import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import { findResourcesSubdir } from '../base/resources-dir';
import type { Workspaces } from '../workspace/workspaces';

const NAME_PLACEHOLDER = '<Runbook name>';

/** The bundled runbook templates (resources/templates, or JETTY_TEMPLATES_DIR). */
async function readTemplate(template: string): Promise<string> {
  const dir = findResourcesSubdir('templates', 'JETTY_TEMPLATES_DIR');
  if (!dir) throw new ApiError('failed', 'Cannot find the runbook templates (resources/templates): set JETTY_TEMPLATES_DIR');
  return readFile(path.join(dir, `${template}.md`), 'utf8');
}

/** New runbooks from a template, written into an open folder. */
export function templateHandlers(workspaces: Workspaces) {
  return {
    'runbook.create': async ({ folder, collection, name, template }) => {
      const root = path.resolve(folder);
      if (!(await workspaces.list()).some((w) => w.folder === root)) {
        throw new ApiError('invalid_input', `open the folder first: ${root} is not an open folder`);
      }
      const dir = path.join(root, collection, name);
      const file = path.join(dir, 'RUNBOOK.md');
      const text = (await readTemplate(template)).replaceAll(NAME_PLACEHOLDER, name);
      await mkdir(dir, { recursive: true });
      await writeFile(file, text, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EEXIST' ? new ApiError('invalid_input', `a runbook already exists at ${file}`) : err;
      });
      await workspaces.open(root);
      return { path: file };
    },
  } satisfies Partial<Api>;
}
