import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCall } from '../../../shared/rpc';
import { createEventBus } from '../base/events';
import { lintWorkflowText } from '../workflows';
import { createWorkspaces } from '../workspace/workspaces';
import { templateHandlers } from './templates';

let dir: string;
let handlers: ReturnType<typeof templateHandlers>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-templates-'));
  const workspaces = createWorkspaces(createEventBus(), lintWorkflowText);
  await workspaces.open(dir);
  handlers = templateHandlers(workspaces);
});

afterEach(() => rm(dir, { recursive: true, force: true }));

describe('runbook.create', () => {
  it('writes the template with the name filled in, then refuses to overwrite it', async () => {
    const { path: file } = await handlers['runbook.create']({ folder: dir, collection: 'reports', name: 'weekly', template: 'rubric' });
    expect(file).toBe(path.join(dir, 'reports/weekly/RUNBOOK.md'));
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# weekly — Agent Runbook');
    expect(text).toContain('evaluation: rubric');
    await expect(handlers['runbook.create']({ folder: dir, collection: 'reports', name: 'weekly', template: 'programmatic' })).rejects.toThrow(
      `a runbook already exists at ${file}`,
    );
  });

  it('only writes into open folders', async () => {
    await expect(handlers['runbook.create']({ folder: os.tmpdir(), collection: 'a', name: 'b', template: 'programmatic' })).rejects.toThrow('is not an open folder');
  });

  it('rejects names with path separators before anything runs', () => {
    for (const name of ['../up', 'a/b', 'a\\b', '.hidden', '']) {
      expect(() => parseCall('runbook.create', { folder: dir, collection: 'c', name, template: 'programmatic' }), name).toThrow(/runbook.create: name:/);
    }
  });
});
