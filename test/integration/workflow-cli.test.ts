import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI from source (tsx), as `jetty <args>`. */
function jetty(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/cli/index.ts'), ...args], { cwd: REPO, env: { ...process.env, JETTY_DATA_DIR: path.join(dir, 'data') } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const write = (name: string, value: unknown) => {
  writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path.join(dir, name);
};

describe('jetty lint and jetty workflow on workflow JSON', () => {
  it('lint reports each validation error at its line and column; --json lists them', async () => {
    const file = write('bad.workflow.json', `{
  "step_configs": {
    "a": {"activity": "text_ecko", "text": "x"},
    "b": {"activity": "text_echo", "text_path": "c.outputs.text"},
    "c": {"activity": "text_echo"},
    "d": {"activity": "conditional_branch", "condition": true, "true_step": "a", "false_step": "zz"}
  },
  "steps": ["a", "b", "c", "d"]
}`);
    const res = await jetty(['lint', file]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("bad.workflow.json:3:11 error WF002 unknown activity 'text_ecko'\n    hint: did you mean 'text_echo'?");
    expect(res.stdout).toContain("bad.workflow.json:4:36 error WF005 path 'c.outputs.text' names step 'c', which runs after 'b'");
    expect(res.stdout).toContain("bad.workflow.json:5:5 error WF003 step 'c' (text_echo) is missing required parameter 'text'");
    expect(res.stdout).toContain("bad.workflow.json:6:64 error WF007 cycle: true_step of 'd' goes back to 'a'");
    expect(res.stdout).toContain("bad.workflow.json:6:82 error WF006 conditional_branch 'd': false_step 'zz' is not a step of this workflow");
    const json = await jetty(['lint', '--json', file]);
    expect(JSON.parse(json.stdout)[0].diagnostics.map((d: { code: string }) => d.code)).toEqual(['WF002', 'WF005', 'WF003', 'WF007', 'WF006']);
  });

  it('lint accepts a task document; workflow run prints progress and exits 0, 1 on a failed step, 2 on an invalid document', async () => {
    const task = write('echo.json', { name: 'echo', description: 'd', workflow: { init_params: { text: 'Hello!' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] } });
    expect((await jetty(['lint', task])).code).toBe(0);
    const ok = await jetty(['workflow', 'run', task, '--param', 'text=Hi there', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const result = ok.stdout.trim().split('\n').map((l) => JSON.parse(l)).at(-1);
    expect(result.trajectory.steps.echo.outputs.text).toBe('Hi there');
    const failing = write('fail.json', { step_configs: { a: { activity: 'text_echo', text: 'x' }, b: { activity: 'text_echo', text_path: 'a.outputs.nope' } }, steps: ['a', 'b'] });
    const failed = await jetty(['workflow', 'run', failing]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("b failed: path 'a.outputs.nope' resolves to nothing");
    const invalid = await jetty(['workflow', 'run', write('invalid.json', { step_configs: {}, steps: ['x'] })]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("steps[0]: step 'x' has no entry in step_configs");
    expect((await jetty(['workflow', 'resume'])).stdout).toContain('No interrupted workflows.');
  });
});
