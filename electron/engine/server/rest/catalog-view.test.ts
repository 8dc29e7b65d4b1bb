import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store';
import { createCatalogView } from './catalog-view';

describe('the catalog view', () => {
  let dir: string;
  let store: Store;
  afterEach(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds one task by reading that task alone: another task of its collection that cannot be read does not stop it', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-catalog-view-'));
    const file = path.join(dir, 'jetty.db');
    store = openStore(file);
    store.createCollection({ name: 'wf' });
    store.createTask('wf', { name: 'good', workflow: { steps: ['a'], step_configs: { a: { activity: 'text_echo', text: 'hi' } } } });
    store.createTask('wf', { name: 'broken', workflow: { steps: [] } });
    // A row a reader cannot parse (as a huge one would cost every run of the collection to parse, before).
    const raw = new Database(file);
    raw.prepare("UPDATE tasks SET workflow = '{' WHERE name = 'broken'").run();
    raw.close();
    const catalog = createCatalogView(store, async () => [], path.join(dir, 'deployed'));
    return expect(catalog.task('wf', 'good')).resolves.toMatchObject({ name: 'good', source: 'local', workflow: { steps: ['a'] } });
  });

  it('a stored task wins over an open folder’s of the same name; a folder task is found by its name', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-catalog-view-'));
    store = openStore(path.join(dir, 'jetty.db'));
    store.createCollection({ name: 'demo' });
    store.createTask('demo', { name: 'hello', workflow: { runbook: 'RUNBOOK.md' } });
    const runbook = (name: string) => ({ kind: 'runbook', collection: 'demo', name, path: `/folder/demo/${name}/RUNBOOK.md`, title: name });
    const workspaces = async () => [{ folder: '/folder', runbooks: [runbook('hello'), runbook('other')] }] as never;
    const catalog = createCatalogView(store, workspaces, path.join(dir, 'deployed'));
    expect(await catalog.task('demo', 'hello')).toMatchObject({ source: 'local', workflow: { runbook: 'RUNBOOK.md' } });
    expect(await catalog.task('demo', 'other')).toMatchObject({ source: 'folder', workflow: { runbook: '/folder/demo/other/RUNBOOK.md' } });
    expect(await catalog.task('demo', 'none')).toBeNull();
  });
});
