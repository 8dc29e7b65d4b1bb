import { useEffect } from 'react';
import { useOverlay } from '../../stores/overlays';
import { COMMANDS } from './command-list';
import { comboOf, isPlainKey, isTyping } from './keys';
import { runCommand } from './registry';

const byCombo = new Map(COMMANDS.flatMap((c) => (c.keys ?? []).map((k) => [k, c] as const)));

/**
 * The keyboard for every command, from anywhere in the app: caught before the editor or a
 * field sees the keys (so Ctrl+S saves from a parameter field, F8 moves through problems
 * from the problems list). A plain key such as `?` is left to the field being typed in; an
 * open dialog keeps its keys, but for the palette's own.
 */
export function useGlobalKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const combo = comboOf(e);
      const command = byCombo.get(combo);
      if (!command) return;
      if (isPlainKey(combo) && isTyping(e.target)) return;
      const overlay = useOverlay.getState().open;
      if (overlay && overlay !== 'running' && command.id !== 'palette.show') return;
      if (!runCommand(command)) return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
