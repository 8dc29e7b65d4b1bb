/**
 * Checks of the report formats CI systems read, written from their specifications (no
 * validator installs offline): JUnit XML's common subset (testmoapp/junitxml, Apache Ant's
 * JUnit.xsd: elements, their attributes and types, counts that are the totals of their
 * children) with a small XML reader that refuses what is not well-formed, and CTRF JSON
 * (ctrf-io/ctrf's specification: required fields, types, enums, no unknown properties where
 * the schema closes an object).
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);|&/gi, (whole, name: string | undefined) => {
    if (!name) throw new Error(`${where}: a bare & (not an entity)`);
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    if (!(name in ENTITIES)) throw new Error(`${where}: unknown entity ${whole}`);
    return ENTITIES[name];
  });
}

/** Reads a well-formed XML document (elements, attributes, text, a declaration, comments); throws at the first thing that is not. */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`XML at ${at}: ${why}`);
  };
  const skipSpace = () => {
    while (/\s/.test(source[at] ?? '')) at++;
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    at = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  for (;;) {
    const lt = source.indexOf('<', at);
    const text = source.slice(at, lt < 0 ? source.length : lt);
    if (stack.length > 0) stack[stack.length - 1].text += decode(text, `text at ${at}`);
    else if (text.trim()) fail('text outside the root element');
    if (lt < 0) break;
    at = lt;
    if (source.startsWith('<!--', at)) {
      const end = source.indexOf('-->', at);
      if (end < 0) fail('unterminated comment');
      at = end + 3;
      continue;
    }
    if (source.startsWith('</', at)) {
      const m = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(source.slice(at));
      if (!m) fail('bad closing tag');
      const open = stack.pop();
      if (!open || open.name !== m![1]) fail(`</${m![1]}> closes <${open?.name ?? 'nothing'}>`);
      at += m![0].length;
      continue;
    }
    const m = /^<([A-Za-z_][\w.-]*)/.exec(source.slice(at));
    if (!m) fail('bad opening tag');
    at += m![0].length;
    const element: XmlElement = { name: m![1], attrs: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at) || source[at] === '>') break;
      const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(at));
      if (!a) fail(`bad attribute in <${element.name}>`);
      if (a![1] in element.attrs) fail(`attribute ${a![1]} twice in <${element.name}>`);
      element.attrs[a![1]] = decode(a![3] ?? a![4], `attribute ${a![1]}`);
      at += a![0].length;
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else if (root) fail('a second root element');
    else root = element;
    if (source.startsWith('/>', at)) at += 2;
    else {
      at += 1;
      stack.push(element);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1].name}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

export interface JunitCase {
  name: string;
  properties: Record<string, string>;
  failure: Record<string, string> | null;
  error: Record<string, string> | null;
  skipped: boolean;
}
export interface JunitSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  properties: Record<string, string>;
  cases: JunitCase[];
}

const INT = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

const ATTRIBUTES: Record<string, { allowed: string[]; required: string[] }> = {
  testsuites: { allowed: ['name', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'assertions', 'time', 'timestamp'], required: [] },
  testsuite: { allowed: ['name', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'assertions', 'time', 'timestamp', 'hostname', 'id', 'package', 'file'], required: ['name'] },
  testcase: { allowed: ['name', 'classname', 'time', 'file', 'line', 'assertions'], required: ['name'] },
  failure: { allowed: ['message', 'type'], required: [] },
  error: { allowed: ['message', 'type'], required: [] },
  skipped: { allowed: ['message'], required: [] },
  property: { allowed: ['name', 'value'], required: ['name', 'value'] },
};
const CHILDREN: Record<string, string[]> = {
  testsuites: ['testsuite'],
  testsuite: ['properties', 'testcase', 'testsuite', 'system-out', 'system-err'],
  testcase: ['properties', 'failure', 'error', 'skipped', 'system-out', 'system-err'],
  properties: ['property'],
  failure: [],
  error: [],
  skipped: [],
  property: [],
  'system-out': [],
  'system-err': [],
};
const TYPES: Record<string, RegExp> = { tests: INT, failures: INT, errors: INT, skipped: INT, disabled: INT, assertions: INT, line: INT, time: DECIMAL, timestamp: ISO };

/** Checks a JUnit XML document against the common subset; returns its problems (none: it holds) and its suites as read. */
export function checkJunit(source: string): { problems: string[]; suites: JunitSuite[] } {
  const problems: string[] = [];
  let root: XmlElement;
  try {
    root = parseXml(source);
  } catch (error) {
    return { problems: [(error as Error).message], suites: [] };
  }
  const visit = (e: XmlElement, path: string) => {
    const rule = ATTRIBUTES[e.name];
    if (rule) {
      for (const name of Object.keys(e.attrs)) if (!rule.allowed.includes(name)) problems.push(`${path}: unknown attribute ${name}`);
      for (const name of rule.required) if (!(name in e.attrs)) problems.push(`${path}: missing ${name}`);
    }
    for (const [name, value] of Object.entries(e.attrs)) if (TYPES[name] && !TYPES[name].test(value)) problems.push(`${path}: ${name}="${value}" is not ${TYPES[name] === ISO ? 'an ISO 8601 time' : 'a number'}`);
    const allowed = CHILDREN[e.name];
    if (!allowed) problems.push(`${path}: unknown element`);
    for (const child of e.children) {
      if (allowed && !allowed.includes(child.name)) problems.push(`${path}: <${child.name}> may not be inside <${e.name}>`);
      visit(child, `${path}/${child.name}`);
    }
    if (e.name === 'testcase' && e.children.filter((c) => ['failure', 'error', 'skipped'].includes(c.name)).length > 1) problems.push(`${path}: more than one result`);
  };
  if (root.name !== 'testsuites' && root.name !== 'testsuite') problems.push(`root is <${root.name}>, not <testsuites> or <testsuite>`);
  visit(root, root.name);
  const props = (e: XmlElement) => Object.fromEntries(e.children.filter((c) => c.name === 'properties').flatMap((p) => p.children.map((c) => [c.attrs.name, c.attrs.value])));
  const suites = (root.name === 'testsuites' ? root.children : [root]).filter((s) => s.name === 'testsuite').map((s): JunitSuite => {
    const cases = s.children.filter((c) => c.name === 'testcase').map((c) => {
      const result = (name: string) => c.children.find((r) => r.name === name)?.attrs ?? null;
      return { name: c.attrs.name, properties: props(c), failure: result('failure'), error: result('error'), skipped: result('skipped') !== null };
    });
    const suite = { name: s.attrs.name, tests: Number(s.attrs.tests), failures: Number(s.attrs.failures), errors: Number(s.attrs.errors), skipped: Number(s.attrs.skipped), properties: props(s), cases };
    // Counts are the totals of the children.
    const actual = { tests: cases.length, failures: cases.filter((c) => c.failure).length, errors: cases.filter((c) => c.error).length, skipped: cases.filter((c) => c.skipped).length };
    for (const [key, value] of Object.entries(actual)) if (suite[key as keyof typeof actual] !== value) problems.push(`testsuite ${suite.name}: ${key}=${suite[key as keyof typeof actual]} but it holds ${value}`);
    return suite;
  });
  if (root.name === 'testsuites') {
    for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) {
      const total = suites.reduce((sum, s) => sum + s[key], 0);
      if (root.attrs[key] !== undefined && Number(root.attrs[key]) !== total) problems.push(`testsuites: ${key}=${root.attrs[key]} but its suites hold ${total}`);
    }
  }
  return { problems, suites };
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES = ['passed', 'failed', 'skipped', 'pending', 'other'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Checks a CTRF document against the specification (specVersion 1.0.0); returns its problems. */
export function checkCtrf(doc: Json): string[] {
  const problems: string[] = [];
  const object = (v: Json, path: string, spec: { required?: string[]; allowed?: string[] }): v is Record<string, Json> => {
    if (!isObject(v)) {
      problems.push(`${path}: not an object`);
      return false;
    }
    for (const key of spec.required ?? []) if (!(key in v)) problems.push(`${path}: missing ${key}`);
    if (spec.allowed) for (const key of Object.keys(v)) if (!spec.allowed.includes(key)) problems.push(`${path}: unknown property ${key}`);
    return true;
  };
  const int = (v: Json, path: string) => Number.isInteger(v) || problems.push(`${path}: not an integer`);
  const str = (v: Json, path: string, min = 0) => (typeof v === 'string' && v.length >= min) || problems.push(`${path}: not a string${min ? ' (non-empty)' : ''}`);
  const status = (v: Json, path: string) => STATUSES.includes(v as string) || problems.push(`${path}: '${String(v)}' is not one of ${STATUSES.join(', ')}`);
  const metric = (v: Json, path: string) => {
    if (object(v, path, { allowed: ['current', 'baseline', 'change'] })) for (const [k, n] of Object.entries(v)) if (typeof n !== 'number') problems.push(`${path}.${k}: not a number`);
  };

  if (!object(doc, 'report', { required: ['results', 'reportFormat', 'specVersion'], allowed: ['reportFormat', 'specVersion', 'reportId', 'timestamp', 'generatedBy', 'extra', 'results', 'insights', 'baseline'] })) return problems;
  if (doc.reportFormat !== 'CTRF') problems.push("reportFormat: not 'CTRF'");
  if (!/^\d+\.\d+\.\d+$/.test(String(doc.specVersion))) problems.push('specVersion: not MAJOR.MINOR.PATCH');
  if (doc.reportId !== undefined && !UUID.test(String(doc.reportId))) problems.push('reportId: not a UUID');
  if (doc.timestamp !== undefined && !ISO.test(String(doc.timestamp))) problems.push('timestamp: not a date-time');
  if (doc.insights !== undefined && object(doc.insights, 'insights', { allowed: ['passRate', 'failRate', 'flakyRate', 'averageRunDuration', 'p95RunDuration', 'averageTestDuration', 'runsAnalyzed', 'extra'] })) {
    for (const [k, v] of Object.entries(doc.insights)) if (k !== 'extra' && k !== 'runsAnalyzed') metric(v, `insights.${k}`);
  }
  const results = doc.results;
  if (!object(results, 'results', { required: ['tool', 'summary', 'tests'], allowed: ['tool', 'summary', 'tests', 'environment', 'extra'] })) return problems;
  if (object(results.tool, 'results.tool', { required: ['name'], allowed: ['name', 'version', 'extra'] })) str(results.tool.name, 'results.tool.name', 1);
  const summaryKeys = ['tests', 'passed', 'failed', 'skipped', 'pending', 'other', 'flaky', 'suites', 'start', 'stop', 'duration'];
  if (object(results.summary, 'results.summary', { required: ['tests', 'passed', 'failed', 'skipped', 'pending', 'other', 'start', 'stop'], allowed: [...summaryKeys, 'extra'] })) {
    for (const key of summaryKeys) if (key in results.summary) int(results.summary[key], `results.summary.${key}`);
  }
  if (results.environment !== undefined) {
    const env = ['reportName', 'appName', 'appVersion', 'buildId', 'buildName', 'buildNumber', 'buildUrl', 'repositoryName', 'repositoryUrl', 'commit', 'branchName', 'osPlatform', 'osRelease', 'osVersion', 'testEnvironment', 'healthy', 'extra'];
    object(results.environment, 'results.environment', { allowed: env });
  }
  if (!Array.isArray(results.tests)) return [...problems, 'results.tests: not an array'];
  const testKeys = ['id', 'name', 'status', 'duration', 'start', 'stop', 'suite', 'message', 'trace', 'snippet', 'ai', 'line', 'rawStatus', 'tags', 'labels', 'type', 'filePath', 'retries', 'retryAttempts', 'flaky', 'stdout', 'stderr', 'threadId', 'browser', 'device', 'screenshot', 'attachments', 'parameters', 'steps', 'insights', 'extra'];
  results.tests.forEach((t, i) => {
    const path = `results.tests[${i}]`;
    if (!object(t, path, { required: ['name', 'status', 'duration'], allowed: testKeys })) return;
    str(t.name, `${path}.name`, 1);
    status(t.status, `${path}.status`);
    int(t.duration, `${path}.duration`);
    if (t.suite !== undefined && (!Array.isArray(t.suite) || t.suite.length === 0 || t.suite.some((s) => typeof s !== 'string'))) problems.push(`${path}.suite: not a non-empty list of strings`);
    for (const key of ['message', 'rawStatus']) if (t[key] !== undefined) str(t[key], `${path}.${key}`);
    if (t.retries !== undefined) int(t.retries, `${path}.retries`);
    if (t.flaky !== undefined && typeof t.flaky !== 'boolean') problems.push(`${path}.flaky: not a boolean`);
    if (t.labels !== undefined && object(t.labels, `${path}.labels`, {})) {
      for (const [k, v] of Object.entries(t.labels)) if (!['string', 'number', 'boolean'].includes(typeof v)) problems.push(`${path}.labels.${k}: not a string, number or boolean`);
    }
    if (t.parameters !== undefined) object(t.parameters, `${path}.parameters`, {});
    if (t.extra !== undefined) object(t.extra, `${path}.extra`, {});
    if (t.steps !== undefined) {
      if (!Array.isArray(t.steps)) problems.push(`${path}.steps: not an array`);
      else
        t.steps.forEach((s, j) => {
          if (object(s, `${path}.steps[${j}]`, { required: ['name', 'status'], allowed: ['name', 'status', 'extra'] })) {
            str(s.name, `${path}.steps[${j}].name`);
            status(s.status, `${path}.steps[${j}].status`);
          }
        });
    }
    if (t.retryAttempts !== undefined) {
      if (!Array.isArray(t.retryAttempts)) problems.push(`${path}.retryAttempts: not an array`);
      else
        t.retryAttempts.forEach((a, j) => {
          const at = `${path}.retryAttempts[${j}]`;
          if (!object(a, at, { required: ['attempt', 'status'], allowed: ['attempt', 'status', 'duration', 'message', 'trace', 'line', 'snippet', 'stdout', 'stderr', 'start', 'stop', 'attachments', 'extra'] })) return;
          if (!(Number.isInteger(a.attempt) && (a.attempt as number) >= 1)) problems.push(`${at}.attempt: not an integer ≥ 1`);
          status(a.status, `${at}.status`);
          if (a.duration !== undefined) int(a.duration, `${at}.duration`);
        });
    }
  });
  return problems;
}
