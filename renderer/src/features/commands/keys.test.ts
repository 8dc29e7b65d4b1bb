import { describe, expect, it } from 'vitest';
import { comboOf, isPlainKey } from './keys';

const key = (key: string, code: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) =>
  comboOf({ key, code, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('comboOf', () => {
  it('writes modifiers in one order, letters and digits by their key position, named keys by name', () => {
    expect(key('P', 'KeyP', { ctrlKey: true, shiftKey: true })).toBe('Mod+Shift+P');
    expect(key('¡', 'Digit1', { altKey: true })).toBe('Alt+1');
    expect(key('F8', 'F8', { shiftKey: true })).toBe('Shift+F8');
    expect(key('PageDown', 'PageDown', { altKey: true })).toBe('Alt+PageDown');
    expect(key('g', 'KeyG', { ctrlKey: true })).toBe('Mod+G');
  });

  it('takes a character typed alone (with or without Shift) as the character', () => {
    expect(key('?', 'Slash', { shiftKey: true })).toBe('?');
    expect(key('a', 'KeyA')).toBe('a');
    expect(isPlainKey('?')).toBe(true);
    expect(isPlainKey('F1')).toBe(false);
    expect(isPlainKey('Mod+P')).toBe(false);
  });
});
