/** One `jetty` subcommand, as its module exports it: its usage text and a runner returning the exit code. */
export interface Command {
  usage: string;
  run(args: string[]): Promise<number>;
}

/**
 * A subcommand as the CLI lists it: a one-line summary for `jetty --help`, and its module,
 * imported only when that command runs (so `jetty --version` or `jetty lint` never load
 * the server, the store or the agents).
 */
export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}
