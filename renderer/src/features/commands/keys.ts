/**
 * Key combinations as the app writes them: modifiers in a fixed order, then the key
 * ("Mod+Shift+P", "Alt+1", "F8", "?"). `Mod` is Ctrl, or ⌘ on a Mac.
 */
export const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

const NAMED: Record<string, string> = { ' ': 'Space', Esc: 'Escape' };

/** The combination a key event is, in the app's notation. */
export function comboOf(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): string {
  const mod = isMac ? e.metaKey : e.ctrlKey;
  const ctrl = isMac && e.ctrlKey; // Ctrl on a Mac is its own modifier
  const printable = e.key.length === 1 && e.key !== ' ';
  // A printable key typed alone (or with Shift, which made it) is the character: "?", not "Shift+/".
  if (printable && !mod && !ctrl && !e.altKey) return e.key;
  const base = /^Key[A-Z]$/.test(e.code) ? e.code.slice(3) : /^Digit\d$/.test(e.code) ? e.code.slice(5) : (NAMED[e.key] ?? (printable ? e.key.toUpperCase() : e.key));
  return [ctrl && 'Ctrl', mod && 'Mod', e.altKey && 'Alt', e.shiftKey && 'Shift', base].filter(Boolean).join('+');
}

/** A combination for people to read: "Ctrl+Shift+P", or "⌘⇧P" on a Mac. */
export function showCombo(combo: string): string {
  if (!isMac) return combo.replace(/\bMod\b/, 'Ctrl');
  const symbols: Record<string, string> = { Mod: '⌘', Ctrl: '⌃', Alt: '⌥', Shift: '⇧' };
  return combo
    .split('+')
    .map((part) => symbols[part] ?? part)
    .join('');
}

/** Playwright's and the `aria-keyshortcuts` notation of a combination: "Control+Shift+P". */
export const ariaCombo = (combo: string): string => combo.replace(/\bMod\b/, isMac ? 'Meta' : 'Control');

/** Whether a combination is plain typing (no modifier, not a function key), which a text field keeps for itself. */
export const isPlainKey = (combo: string): boolean => !combo.includes('+') && !/^F\d+$/.test(combo) && combo !== 'Escape';

/** Whether the focus is somewhere that takes typing: a field, a text area, the editor. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el?.closest?.('input, textarea, select, [contenteditable="true"], .monaco-editor'));
}
