import { useEffect, useRef } from 'react';
import { create } from 'zustand';

/** The groups the palette and the shortcut sheet list commands under, in this order. */
export const COMMAND_GROUPS = ['Go to', 'Runbook', 'Tabs', 'Runs', 'View', 'Help'] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

/**
 * Something the user can do from the palette (F1) and, when it has keys, from the keyboard
 * anywhere. A command either runs itself (`run`) or is carried out by the screen that
 * registers a handler for it (`useCommandHandler`): then it is available only while that
 * screen is shown.
 */
export interface Command {
  id: string;
  title: string;
  group: CommandGroup;
  /** Its key combinations (see keys.ts), the first one shown. */
  keys?: string[];
  run?: () => void;
  /** For a command that runs itself: whether it applies now (default: always). */
  available?: () => boolean;
}

interface Handlers {
  handlers: Record<string, () => void>;
}

/** The handlers the mounted screens carry commands out with. */
export const useCommandHandlers = create<Handlers>(() => ({ handlers: {} }));

/** Carries command `id` out with `handler` while the calling component is mounted (the newest registration wins). */
export function useCommandHandler(id: string, handler: (() => void) | null): void {
  const latest = useRef(handler);
  latest.current = handler;
  const active = handler !== null;
  useEffect(() => {
    if (!active) return;
    const run = () => latest.current?.();
    useCommandHandlers.setState((s) => ({ handlers: { ...s.handlers, [id]: run } }));
    return () =>
      useCommandHandlers.setState((s) => {
        if (s.handlers[id] !== run) return s;
        const { [id]: _gone, ...rest } = s.handlers;
        return { handlers: rest };
      });
  }, [id, active]);
}

/** Whether a command can run now. */
export function isAvailable(command: Command, handlers: Record<string, () => void>): boolean {
  return command.run ? (command.available?.() ?? true) : id(handlers, command) !== undefined;
}

const id = (handlers: Record<string, () => void>, command: Command) => handlers[command.id];

/** Runs a command (its own run, or the handler its screen registered); false when it is not available. */
export function runCommand(command: Command): boolean {
  const handlers = useCommandHandlers.getState().handlers;
  if (!isAvailable(command, handlers)) return false;
  (command.run ?? handlers[command.id])();
  return true;
}
