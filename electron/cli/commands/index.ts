import type { Command } from '../command';
import { lint } from './lint';
import { run } from './run';
import { serve } from './serve';
import { exportCommand, importCommand, trajectories, trajectory } from './trajectories';

/** Every `jetty` subcommand, by name. */
export const commands: Record<string, Command> = {
  lint,
  run,
  serve,
  trajectories,
  trajectory,
  export: exportCommand,
  import: importCommand,
};
