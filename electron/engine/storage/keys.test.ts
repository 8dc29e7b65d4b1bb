import { describe, expect, it } from 'vitest';
import { artifactKey, checkKey, exportKey, inputKey, joinKey } from './keys';
import { parseRange } from './range';

describe('object keys', () => {
  it('are relative, /-separated and never step out of their prefix', () => {
    expect(artifactKey('a1b2c3d4', 'charts/plot.png')).toBe('artifacts/a1b2c3d4/charts/plot.png');
    expect(inputKey('acme/uploads/x1/data.csv')).toBe('files/acme/uploads/x1/data.csv');
    expect(exportKey('a1b2c3d4')).toBe('exports/a1b2c3d4.json');
    expect(joinKey('team/jetty/', 'exports/x.json')).toBe('team/jetty/exports/x.json');
    expect(joinKey('', 'exports/x.json')).toBe('exports/x.json');
    for (const bad of ['../escape', 'a/../b', '/abs', 'a//b', 'a/./b', 'a\\b', 'nul\0here', 'trailing/']) {
      expect(() => checkKey(bad), bad).toThrow(/invalid object key/);
    }
    expect(() => artifactKey('a1b2c3d4', '../../vault.enc')).toThrow(/invalid object key/);
  });
});

describe('a Range header', () => {
  it('is one byte range of the object, or unsatisfiable, or none', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(parseRange('bytes=-', 1000)).toBeNull();
    expect(parseRange(undefined, 1000)).toBeNull();
  });
});
