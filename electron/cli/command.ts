/** One `jetty` subcommand: a one-line summary, its usage text, and a runner returning the exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}
