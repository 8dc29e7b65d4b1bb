import { callTools, type ScriptFunction } from './scripted-model-server';

/** A script whose call n runs `commands[n]` with the built-in agent's bash tool, then finishes: commands.length + 1 model calls. */
export const commandLoop =
  (commands: readonly string[]): ScriptFunction =>
  (_request, turn) =>
    turn < commands.length ? callTools({ name: 'bash', arguments: { command: commands[turn] } }) : callTools({ name: 'finish', arguments: { summary: 'done' } });

const REPORT = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';
/** Writes the secret-report fixture's required outputs and a passing validation report. */
export const WRITE_SECRET_REPORT = `mkdir -p /app/results && ls /app/assets > /app/results/assets.txt; printf '%s' '${REPORT}' > /app/results/validation_report.json && echo '# Summary' > /app/results/summary.md`;

/**
 * A 20-call run of the secret-report fixture: 18 commands (the 3rd prints the secret
 * DEMO_TOKEN, which must come back redacted), the report, then finish.
 */
export const TWENTY_CALL_COMMANDS: readonly string[] = Array.from({ length: 19 }, (_, i) =>
  i === 2 ? 'echo "token is $DEMO_TOKEN"' : i === 18 ? WRITE_SECRET_REPORT : `echo step-${i + 1}`,
);
