/** What every agent runtime is told besides the runbook: where files go, how secrets arrive. */
import { ASSETS_DIR, RESULTS_DIR } from '../sandbox/container-config';

const RULES = `Paths: write every output file to ${RESULTS_DIR}; uploaded inputs are in ${ASSETS_DIR}.
Credentials the runbook needs are set as environment variables in commands; never print them.
Follow the runbook step by step, check your outputs against its evaluation criteria, and iterate as it says.`;

/** A runtime's introduction (its tools), the shared rules, then the rendered runbook. */
export function runbookPrompt(intro: string, runbook: string): string {
  return `${intro}\n\n${RULES}\n\n# Runbook\n\n${runbook}`;
}
