import { describe, expect, it } from 'vitest';
import { openStore } from './index';
import { tempStore } from './temp-store.test-helper';

describe('catalog (collections and tasks created over the local Jetty API)', () => {
  it('creates, lists, updates and deletes, and keeps them across a reopen', () => {
    const { file, store } = tempStore();
    store.createCollection({ name: 'acme', description: 'Acme flows' });
    expect(() => store.createCollection({ name: 'acme' })).toThrow(/already exists/);
    expect(() => store.createCollection({ name: '../x' })).toThrow(/name: use letters/);
    store.createTask('acme', { name: 'echo', description: 'd', workflow: { steps: ['a'] } });
    const updated = store.updateTask('acme', 'echo', { workflow: { steps: ['b'] } });
    expect(updated).toMatchObject({ description: 'd', workflow: { steps: ['b'] } });
    expect(() => store.updateTask('acme', 'nope', {})).toThrow(/No task 'nope'/);
    store.close();

    const reopened = openStore(file);
    try {
      expect(reopened.listCollections().map((c) => c.name)).toEqual(['acme']);
      expect(reopened.getTask('acme', 'echo')?.workflow).toEqual({ steps: ['b'] });
      expect(reopened.deleteTask('acme', 'echo')).toBe(true);
      expect(reopened.deleteTask('acme', 'echo')).toBe(false);
      expect(reopened.listTasks('acme')).toEqual([]);
    } finally {
      reopened.close();
    }
  });
});
