import type { Command } from '../command';
import { lint } from './lint';
import { serve } from './serve';

/** Every `jetty` subcommand, by name. */
export const commands: Record<string, Command> = { lint, serve };
