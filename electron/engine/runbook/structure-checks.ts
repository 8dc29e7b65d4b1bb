import type { Diagnostic, Heading } from '../../../shared/runbook';
import { diagnostic } from './codes';
import { plainHeading } from './headings';
import { outputsSection } from './output-manifest';
import { lineRange, type SourceText } from './source-text';

const EVALUATION = /evaluat|validat|rubric|judg|grading|scor(e|ing)|quality|review|\bQA\b/i;
/** What an evaluation step does, however it is named ("Run QA", "Check the deck"): grades PASS/FAIL checks or writes the report. */
const EVALUATION_WORK = [/\bPASS\b.{0,40}\bFAIL\b/, /\b(?:write|create|save|produce|generate)s?\b.{0,60}validation_report\.json/i];
const ITERATION = /iterat|retry|retries|repeat|loop|\brounds?\b|re-?run/i;
const FINAL_CHECK = /checklist|verification|verify|final check/i;
const NUMBER = String.raw`(?:\d+|one|two|three|four|five|ten)`;
/** "max 3 rounds", "up to 3 times", "at most `{{max_rounds}}`", "retry once". */
const BOUND = new RegExp(
  String.raw`\b(?:max(?:imum)?|at most|up to|no more than|limit(?:ed)? to|cap(?:ped)? at)\b\W{0,3}(?:${NUMBER}\b|\{\{\w+\}\})` +
    String.raw`|\b${NUMBER}\s+(?:rounds?|times|attempts?|iterations?|passes|tries|retries|cycles)\b|\b(?:once|twice)\b`,
  'i',
);
const MANDATORY_OUTPUTS = ['validation_report.json', 'summary.md'];

const sectionText = (source: SourceText, s: Heading) => source.lines.slice(s.line - 1, s.endLine).join('\n');
/** A section's own lines, up to its first sub-heading. */
const ownText = (source: SourceText, s: Heading) => source.lines.slice(s.line - 1, s.children[0] ? s.children[0].line - 1 : s.endLine).join('\n');

/** The conventions of a runbook body: output manifest, evaluation, bounded iteration, final check. */
export function checkStructure(source: SourceText, sections: readonly Heading[], bodyStartLine: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const top = lineRange(source, sections[0]?.line ?? Math.min(bodyStartLine, source.lines.length));
  const matching = (pattern: RegExp) => sections.filter((s) => pattern.test(plainHeading(s.text)));

  const outputs = outputsSection(sections);
  if (!source.text.includes('validation_report.json')) {
    // The run still completes: it records no pass/fail, whatever kind of evaluation the frontmatter names.
    const at = outputs ? lineRange(source, outputs.line) : top;
    out.push(
      diagnostic('RB014', 'the runbook never asks for validation_report.json, so a run records no evaluation: only a person reading its outputs can judge it', at, 'List `{{results_dir}}/validation_report.json` (with `overall_passed`) under REQUIRED OUTPUT FILES.'),
    );
  }
  if (!outputs) {
    out.push(diagnostic('RB016', 'no REQUIRED OUTPUT FILES section', top, 'Add `## REQUIRED OUTPUT FILES` with a table of the files under `{{results_dir}}`.'));
  } else {
    const text = sectionText(source, outputs);
    const missing = MANDATORY_OUTPUTS.filter((file) => !text.includes(file));
    if (missing.length > 0) {
      out.push(diagnostic('RB015', `the output manifest does not list ${missing.join(' or ')}`, lineRange(source, outputs.line), `Add ${missing.map((f) => `\`{{results_dir}}/${f}\``).join(' and ')} to the table.`));
    }
  }

  const evaluates = matching(EVALUATION).length > 0 || sections.some((s) => s !== outputs && EVALUATION_WORK.some((work) => work.test(ownText(source, s))));
  if (!evaluates) {
    out.push(diagnostic('RB017', 'no evaluation step (nothing checks the outputs)', top, 'Add a step that evaluates the outputs (PASS/PARTIAL/FAIL checks or a 1–5 rubric) and writes validation_report.json.'));
  }

  const iterations = matching(ITERATION);
  if (iterations.length === 0) {
    out.push(diagnostic('RB030', 'no iteration step', top, 'Add a step such as `## Step N: Iterate on Errors (max 3 rounds)`.'));
  }
  for (const step of iterations) {
    if (!BOUND.test(sectionText(source, step))) {
      out.push(diagnostic('RB018', `'${plainHeading(step.text)}' iterates without a bound`, lineRange(source, step.line), 'Bound it, e.g. "(max 3 rounds)", so a failing run stops.'));
    }
  }

  if (matching(FINAL_CHECK).length === 0) {
    out.push(diagnostic('RB019', 'no final checklist or verification', top, 'End with `## Final Checklist` and a script that checks every required file exists.'));
  }
  return out;
}
