import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { CellReport, EvaluationReport, EvaluationTrial } from '../../../shared/evaluations';
import { VERSION } from '../base/version';

/**
 * An evaluation as CI systems read it: JUnit XML (the common subset: a suite per cell, a
 * case per trial with its stages and run as properties; a runbook failure is a <failure>,
 * an infrastructure error an <error>, a cancelled trial <skipped>) and CTRF JSON (a test per
 * trial, stages as steps, agent and model as labels, re-runs as retry attempts).
 */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text and attribute values: escaped, and characters XML 1.0 cannot hold dropped. */
const xml = (value: string | number): string =>
  String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
const attrs = (values: Record<string, string | number | null | undefined>) =>
  Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${xml(v!)}"`)
    .join('');
const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);
const property = (name: string, value: string | number) => `<property${attrs({ name, value })}/>`;

/** The trials JUnit and CTRF list: those that ran or were cancelled (pending ones are not results yet). */
const listed = (report: EvaluationReport) => report.trials.filter((t) => t.state === 'ended');

/** "trial 3", with its case when there are several, and what it re-runs. */
function trialName(report: EvaluationReport, t: EvaluationTrial): string {
  const kase = report.evaluation.cases.length > 1 ? `${report.evaluation.cases[t.case]?.name ?? `case ${t.case + 1}`} ` : '';
  return `${kase}trial ${t.trial}${t.rerun_of === null ? '' : ` (re-run of trial ${t.rerun_of})`}`;
}

function suiteName(report: EvaluationReport, cell: CellReport): string {
  const e = report.evaluation;
  return `${e.collection}/${e.task}${e.version ? `@${e.version}` : ''} ${cell.label}`;
}

/** The figures of a cell as suite properties: pass rate, interval, pass@k, pass^k, the flaky stage. */
function cellProperties(report: EvaluationReport, cell: CellReport): string[] {
  const props = [
    property('evaluation', report.evaluation.id),
    property('content_hash', report.evaluation.content_hash),
    property('pass_rate', cell.pass_rate === null ? '' : cell.pass_rate.toFixed(4)),
  ];
  if (cell.interval) props.push(property('pass_rate_interval_95', `${cell.interval.low.toFixed(4)}-${cell.interval.high.toFixed(4)}`));
  for (const [k, v] of Object.entries(cell.pass_at_k)) props.push(property(`pass_at_${k}`, v.toFixed(4)));
  for (const [k, v] of Object.entries(cell.pass_hat_k)) props.push(property(`pass_hat_${k}`, v.toFixed(4)));
  if (cell.flaky_stage) props.push(property('flaky_stage', cell.flaky_stage));
  props.push(property('cost_usd', cell.cost_usd.toFixed(6)), property('errors', cell.errors));
  return props;
}

function junitCase(report: EvaluationReport, cell: CellReport, t: EvaluationTrial): string {
  const props = [
    ...(t.trajectory_id ? [property('trajectory_id', t.trajectory_id)] : []),
    property('executor', t.executor),
    ...t.stages.map((s) => property(`stage.${s.name}`, s.outcome)),
  ];
  const result =
    t.outcome === 'failed'
      ? `<failure${attrs({ message: t.error ?? 'failed', type: t.error_kind ?? 'verdict' })}>${xml(t.stages.map((s) => `${s.name}: ${s.outcome}${s.message ? ` — ${s.message}` : ''}`).join('\n'))}</failure>`
      : t.outcome === 'error'
        ? `<error${attrs({ message: t.error ?? 'error', type: t.error_kind ?? 'infrastructure' })}/>`
        : t.outcome === 'cancelled'
          ? `<skipped${attrs({ message: 'cancelled' })}/>`
          : '';
  return `    <testcase${attrs({ name: trialName(report, t), classname: suiteName(report, cell), time: seconds(t.duration_ms) })}>\n      <properties>${props.join('')}</properties>${result ? `\n      ${result}` : ''}\n    </testcase>`;
}

/** JUnit XML of an evaluation: `<testsuites>` with a `<testsuite>` per cell and a `<testcase>` per trial. */
export function junitXml(report: EvaluationReport): string {
  const trials = listed(report);
  const timestamp = report.evaluation.created_at;
  const count = (ts: EvaluationTrial[], outcome: EvaluationTrial['outcome']) => ts.filter((t) => t.outcome === outcome).length;
  const time = (ts: EvaluationTrial[]) => seconds(ts.reduce((s, t) => s + (t.duration_ms ?? 0), 0));
  const suites = report.cells.map((cell) => {
    const own = trials.filter((t) => t.cell === cell.cell);
    const head = attrs({ name: suiteName(report, cell), tests: own.length, failures: count(own, 'failed'), errors: count(own, 'error'), skipped: count(own, 'cancelled'), time: time(own), timestamp, hostname: os.hostname() });
    return `  <testsuite${head}>\n    <properties>${cellProperties(report, cell).join('')}</properties>\n${own.map((t) => junitCase(report, cell, t)).join('\n')}${own.length ? '\n' : ''}  </testsuite>`;
  });
  const root = attrs({ name: `jetty eval ${report.evaluation.name}`, tests: trials.length, failures: count(trials, 'failed'), errors: count(trials, 'error'), skipped: count(trials, 'cancelled'), time: time(trials), timestamp });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${suites.join('\n')}\n</testsuites>\n`;
}

const CTRF_STATUS = { passed: 'passed', failed: 'failed', error: 'other', cancelled: 'skipped' } as const;

/** CTRF JSON (specVersion 1.0.0) of an evaluation: a test per trial, its stages as steps. */
export function ctrfReport(report: EvaluationReport, now = Date.now()): Record<string, unknown> {
  const trials = listed(report);
  const e = report.evaluation;
  const start = Date.parse(e.created_at);
  const stop = e.ended_at ? Date.parse(e.ended_at) : now;
  const cellOf = (t: EvaluationTrial) => report.cells[t.cell];
  const flaky = (t: EvaluationTrial) => t.rerun_of === null && t.outcome !== 'passed' && trials.some((r) => r.cell === t.cell && r.case === t.case && r.rerun_of === t.trial && r.outcome === 'passed');
  const tests = trials
    .filter((t) => t.rerun_of === null)
    .map((t) => {
      const reruns = trials.filter((r) => r.cell === t.cell && r.case === t.case && r.rerun_of === t.trial);
      const cell = cellOf(t);
      return {
        name: trialName(report, t),
        status: CTRF_STATUS[t.outcome ?? 'cancelled'],
        duration: Math.round(t.duration_ms ?? 0),
        ...(t.outcome === 'error' ? { rawStatus: `error:${t.error_kind ?? 'infrastructure'}` } : {}),
        ...(t.error ? { message: t.error } : {}),
        suite: [`${e.collection}/${e.task}${e.version ? `@${e.version}` : ''}`, cell.label],
        labels: { agent: cell.agent ?? 'default', model: cell.model ?? 'default', executor: t.executor, cell: cell.cell, trial: t.trial },
        parameters: e.cases[t.case]?.params ?? {},
        steps: t.stages.map((s) => ({ name: s.name, status: s.outcome === 'pass' ? 'passed' : 'failed' })),
        ...(reruns.length > 0
          ? {
              retries: reruns.length,
              flaky: flaky(t),
              retryAttempts: reruns.map((r, i) => ({ attempt: i + 2, status: CTRF_STATUS[r.outcome ?? 'cancelled'], duration: Math.round(r.duration_ms ?? 0), ...(r.error ? { message: r.error } : {}) })),
            }
          : {}),
        extra: { trajectory_id: t.trajectory_id, error_kind: t.error_kind, cost_usd: t.cost_usd, input_tokens: t.input_tokens, output_tokens: t.output_tokens },
      };
    });
  const count = (status: string) => tests.filter((t) => t.status === status).length;
  const scored = count('passed') + count('failed');
  return {
    reportFormat: 'CTRF',
    specVersion: '1.0.0',
    reportId: randomUUID(),
    timestamp: new Date(now).toISOString(),
    generatedBy: `jetty ${VERSION}`,
    results: {
      tool: { name: 'jetty eval', version: VERSION },
      summary: {
        tests: tests.length,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
        pending: 0,
        other: count('other'),
        flaky: tests.filter((t) => 'flaky' in t && t.flaky).length,
        suites: report.cells.length,
        start,
        stop,
        duration: Math.max(0, stop - start),
      },
      tests,
      environment: { reportName: e.name, appName: `${e.collection}/${e.task}`, ...(e.version ? { appVersion: e.version } : {}), osPlatform: os.platform() },
      extra: {
        evaluation_id: e.id,
        content_hash: e.content_hash,
        rule: report.rule,
        cells: report.cells.map((c) => ({ label: c.label, pass_rate: c.pass_rate, pass_at_k: c.pass_at_k, pass_hat_k: c.pass_hat_k, flaky_stage: c.flaky_stage, errors: c.errors })),
      },
    },
    insights: {
      passRate: { current: scored === 0 ? 0 : count('passed') / scored },
      flakyRate: { current: tests.length === 0 ? 0 : tests.filter((t) => 'flaky' in t && t.flaky).length / tests.length },
    },
  };
}
