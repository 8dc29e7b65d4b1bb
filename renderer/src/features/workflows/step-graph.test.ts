import { describe, expect, it } from 'vitest';
import type { WorkflowRunView } from '../../../../shared/contract';
import { buildStepGraph, formatDuration } from './step-graph';

type Step = WorkflowRunView['steps'][number];
const step = (name: string, activity: string, over: Partial<Step> = {}): Step => ({
  name, activity, status: 'pending', skipped: false, attempt: 0, error: null, started_at: null, ended_at: null, inputs: {}, outputs: {}, retries: [], ...over,
});
const t = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

const view: WorkflowRunView = {
  id: 'aaaaaaaa', collection: 'demo', task: 'fan', status: 'running', error: null, parent: null,
  steps: [
    step('split', 'text_split', { status: 'completed', attempt: 1, started_at: t(0), ended_at: t(5) }),
    step('check', 'conditional_branch', { status: 'completed', attempt: 1, started_at: t(5), ended_at: t(6), outputs: { next_step: 'each', skipped_step: 'other' } }),
    step('other', 'text_echo', { status: 'cancelled', skipped: true, outputs: { skipped: true } }),
    step('each', 'list_emit_await', { status: 'running', attempt: 2, started_at: t(10), retries: [{ attempt: 1, error: 'HTTP 500', delay_ms: 200 }] }),
    step('sum', 'litellm_chat'),
  ],
  children: [
    { id: 'c2', step: 'each', index: 2, status: 'running' },
    { id: 'c0', step: 'each', index: 0, status: 'completed' },
    { id: 'c1', step: 'each', index: 1, status: 'failed' },
  ],
};

describe('buildStepGraph', () => {
  const graph = buildStepGraph(view, Date.parse(t(110)));

  it('keeps document order, marks a branch not taken as skipped and names the jump', () => {
    expect(graph.nodes.map((n) => [n.name, n.state])).toEqual([
      ['split', 'completed'], ['check', 'completed'], ['other', 'skipped'], ['each', 'running'], ['sum', 'pending'],
    ]);
    expect(graph.nodes[1].jumpsTo).toBe('each');
    expect(graph.finished).toBe(3);
  });

  it('times steps from the first start, running ones up to now', () => {
    expect(graph.nodes.map((n) => [n.offsetMs, n.durationMs])).toEqual([[0, 5], [5, 1], [null, null], [10, 100], [null, null]]);
    expect(graph.spanMs).toBe(110);
  });

  it('groups fan-out children under their step, in index order, counted by status', () => {
    expect(graph.nodes[3].children).toEqual({
      total: 3,
      counts: { completed: 1, failed: 1, running: 1 },
      children: [view.children[1], view.children[2], view.children[0]],
    });
    expect(graph.nodes[3].retries).toHaveLength(1);
    expect(graph.nodes[0].children).toBeNull();
  });

  it('gives a fan-out that has not started an empty group', () => {
    const g = buildStepGraph({ ...view, children: [] }, 0);
    expect(g.nodes[3].children).toEqual({ total: 0, counts: {}, children: [] });
  });
});

describe('formatDuration', () => {
  it('reads as ms, s or min', () => {
    expect([formatDuration(340), formatDuration(1234), formatDuration(125_000)]).toEqual(['340 ms', '1.2 s', '2 min 5 s']);
  });
});
