import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSandboxesDir, resolveImage } from './images';
import { knownSnapshots } from './snapshots';

describe('resolveImage', () => {
  it('prefers a custom image, then the snapshot, then python312-uv', () => {
    expect(resolveImage({ image: 'ghcr.io/org/env:v1', snapshot: 'python312-uv' })).toEqual({
      name: 'ghcr.io/org/env:v1',
      snapshot: null,
    });
    expect(resolveImage({ snapshot: 'prism-playwright' })).toEqual({
      name: 'jetty-sandbox/prism-playwright:latest',
      snapshot: 'prism-playwright',
    });
    expect(resolveImage({ snapshot: null, image: '  ' }, 'ns')).toEqual({ name: 'ns/python312-uv:latest', snapshot: 'python312-uv' });
  });

  it('rejects snapshot names that are not image names', () => {
    expect(() => resolveImage({ snapshot: 'Python 3' })).toThrow('Invalid snapshot name "Python 3"');
    expect(() => resolveImage({ snapshot: '../x' })).toThrow('Invalid snapshot name');
  });
});

describe('snapshot Dockerfiles', () => {
  it('are found in resources/sandboxes, or where JETTY_SANDBOXES_DIR says', () => {
    const dir = findSandboxesDir({});
    expect(dir).toBe(path.resolve('resources/sandboxes'));
    expect(knownSnapshots(dir)).toEqual(['prism-playwright', 'python312-uv']);
    expect(findSandboxesDir({ JETTY_SANDBOXES_DIR: '/opt/x' })).toBe('/opt/x');
  });
});
