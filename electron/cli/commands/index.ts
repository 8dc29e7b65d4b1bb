import type { CommandEntry } from '../command';

/** Every `jetty` subcommand, by name; each module is imported when its command runs. */
export const commands: Record<string, CommandEntry> = {
  lint: { summary: 'check runbooks for errors and style gaps', load: async () => (await import('./lint')).lint },
  run: { summary: 'run a runbook locally in a Docker sandbox', load: async () => (await import('./run')).run },
  eval: { summary: 'evaluate a runbook: N trials per agent × model, pass rates, pass@k, JUnit/CTRF, a CI gate', load: async () => (await import('./eval')).evalCommand },
  serve: { summary: 'serve the UI and local API to a browser', load: async () => (await import('./serve')).serve },
  mcp: { summary: 'serve the local engine as an MCP server on stdio (for agent CLIs)', load: async () => (await import('./mcp')).mcp },
  trajectories: { summary: 'list local trajectories: status and evaluation, filtered and sorted', load: async () => (await import('./trajectories')).trajectories },
  trajectory: {
    summary: 'show one trajectory (jetty trajectory show <id>)',
    load: async () => (await import('./trajectories')).trajectory,
  },
  export: {
    summary: 'print a trajectory as JSON (the cloud trajectory shape, or ATIF with --format atif)',
    load: async () => (await import('./trajectories')).exportCommand,
  },
  routine: {
    summary: 'scheduled runs of a task: list, create, update, pause, resume, run-now, runs, delete',
    load: async () => (await import('./routine')).routine,
  },
  workflow: { summary: 'run or resume a workflow (JSON DAG of step templates)', load: async () => (await import('./workflow')).workflow },
  login: { summary: 'sign in to a remote Jetty (token on standard input)', load: async () => (await import('./login')).login },
  logout: { summary: 'remove the saved remote token', load: async () => (await import('./logout')).logout },
  whoami: { summary: 'the remote Jetty, the token (redacted) and whether it is accepted', load: async () => (await import('./whoami')).whoami },
  cloud: { summary: 'browse the remote: collections, tasks, trajectories; the outbox', load: async () => (await import('./cloud')).cloud },
  deploy: { summary: 'deploy a runbook or workflow as a remote task (secret preflight)', load: async () => (await import('./deploy')).deploy },
  pull: { summary: 'import a remote task\'s trajectories (incremental)', load: async () => (await import('./pull')).pull },
  import: {
    summary: 'import a trajectory JSON (an export, a cloud trajectory.json, an ATIF file or Harbor job folder); prints the ids',
    load: async () => (await import('./trajectories')).importCommand,
  },
};
