/** What every agent runtime is told besides the runbook: where files go, how secrets arrive. */
import { ASSETS_DIR, RESULTS_DIR } from '../sandbox/container-config';

const RULES = `Paths: write every output file to ${RESULTS_DIR}; uploaded inputs are in ${ASSETS_DIR}.
Credentials the runbook needs are set as environment variables in commands; never print them.
Follow the runbook step by step, check your outputs against its evaluation criteria, and iterate as it says.`;

/** The introduction of a CLI runtime, whose tools are the CLI's own. */
export const CLI_AGENT_INTRO = `You are executing a runbook inside a sandbox (a Linux container, working directory /app) with your usual tools.
Nobody is watching the session: do not ask questions, decide and carry on.`;

/** A runtime's introduction (its tools), the shared rules, then the rendered runbook. */
export function runbookPrompt(intro: string, runbook: string): string {
  return `${intro}\n\n${RULES}\n\n# Runbook\n\n${runbook}`;
}
