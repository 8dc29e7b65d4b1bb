import type { Diagnostic, Range, Severity } from '../../../shared/runbook';

/**
 * Every diagnostic the runbook linter emits, by stable code. This map is the source of
 * truth for severities and one-line meanings (README.md lists the same table). A code has
 * one severity, whatever the runbook: an error means a run will break; a style gap is a
 * warning or info.
 */
export const CODES = {
  RB001: { severity: 'error', title: 'Frontmatter is not valid YAML' },
  RB002: { severity: 'error', title: 'Frontmatter is not closed by a `---` line' },
  RB003: { severity: 'error', title: 'Frontmatter is not a YAML mapping' },
  RB004: { severity: 'error', title: 'Frontmatter key that configures the run has the wrong type' },
  RB005: { severity: 'warning', title: 'Frontmatter has no `version`' },
  RB006: { severity: 'warning', title: '`version` is not a semver string' },
  RB007: { severity: 'warning', title: '`evaluation` is not `programmatic` or `rubric`' },
  RB008: { severity: 'warning', title: 'Unknown agent' },
  RB009: { severity: 'warning', title: 'Agent and model do not match' },
  RB010: { severity: 'error', title: 'Template variable used but neither declared nor defaulted' },
  RB011: { severity: 'info', title: 'Declared parameter never referenced as `{{name}}`' },
  RB012: { severity: 'error', title: 'Secret referenced but not declared' },
  RB014: { severity: 'warning', title: '`validation_report.json` is never requested' },
  RB015: { severity: 'warning', title: 'Output manifest lacks `validation_report.json` or `summary.md`' },
  RB016: { severity: 'warning', title: 'No REQUIRED OUTPUT FILES section' },
  RB017: { severity: 'warning', title: 'No evaluation step' },
  RB018: { severity: 'warning', title: 'Iteration step without a bound' },
  RB019: { severity: 'warning', title: 'No final checklist or verification' },
  RB020: { severity: 'warning', title: 'No YAML frontmatter' },
  RB021: { severity: 'error', title: 'Empty runbook' },
  RB022: { severity: 'error', title: 'Not a text file (NUL bytes or invalid UTF-8)' },
  RB023: { severity: 'error', title: 'File too large' },
  RB024: { severity: 'warning', title: 'manifest.json cannot be used' },
  RB025: { severity: 'error', title: 'Unsupported frontmatter language' },
  RB026: { severity: 'warning', title: 'Parameter declared twice' },
  RB027: { severity: 'warning', title: 'Parameters table row without a usable name' },
  RB028: { severity: 'warning', title: 'Code fence never closed' },
  RB029: { severity: 'info', title: 'Frontmatter has no `evaluation`' },
  RB030: { severity: 'info', title: 'No iteration step' },
  RB031: { severity: 'warning', title: 'Frontmatter key has the wrong type' },
  RB032: { severity: 'warning', title: 'CLI agent in a custom image that may lack its CLI' },
  RB033: { severity: 'info', title: "Frontmatter model belongs to a tool's provider, not the agent" },
  RB034: { severity: 'warning', title: 'Snapshot this Jetty has no Dockerfile for' },
  RB035: { severity: 'error', title: 'MCP server declaration is malformed' },
  RB036: { severity: 'error', title: 'MCP server has no transport Jetty runs' },
  RB037: { severity: 'error', title: "Secret in a stdio MCP server's command or args" },
  RB038: { severity: 'error', title: "The collection's collection.json cannot be used" },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type Code = keyof typeof CODES;

/**
 * Codes no longer emitted, with why. Their numbers are never given to another rule, so a
 * `lint_ignore` naming one silences nothing new.
 */
export const RETIRED_CODES: Record<string, string> = {
  RB013: 'a secret without `env` reaches the sandbox under its own name (an invalid name is RB004)',
};

/** A diagnostic with its code's severity. */
export function diagnostic(code: Code, message: string, range: Range, hint?: string): Diagnostic {
  const { severity } = CODES[code];
  return hint === undefined ? { severity, code, message, range } : { severity, code, message, range, hint };
}
