import { describe, expect, it } from 'vitest';
import type { ConversationEntry } from '../../../shared/conversation';
import { SAMPLE_PAYLOADS } from '../../../shared/trajectory-event-samples.test-helper';
import { aTrajectory, tempStore } from './temp-store.test-helper';

const SECRET = 'vault-Xq81mZp40Ka7Ld2W';
const system: ConversationEntry = { role: 'system', text: 'Follow the runbook.' };
const user = (text: string): ConversationEntry => ({ role: 'user', content: [{ type: 'text', text }] });
const answer: ConversationEntry = { role: 'assistant', text: 'ok', toolCalls: [] };

describe("the store's shared secrets", () => {
  it('redact an imported trajectory whole — steps, events, labels, conversation — and its model calls still find their prompts', () => {
    // Recorded where the secret was not known, then imported where it is.
    const { store: origin } = tempStore();
    const { id } = origin.createTrajectory(aTrajectory());
    const conversations = origin.conversations();
    const chain = conversations.chain(id);
    const first = chain.add([system, user('hello')], answer);
    conversations.add(id, first.rows);
    const second = chain.add([system, user('hello'), answer, user(`my key is ${SECRET}`)], answer);
    conversations.add(id, second.rows);
    const events = origin.eventWriter(id);
    events.append({ type: 'model_call', level: 'info', step: 'agent', payload: { ...SAMPLE_PAYLOADS.model_call, prompt_ref: first.promptRef, completion_ref: first.completionRef } });
    events.append({ type: 'model_call', level: 'info', step: 'agent', payload: { ...SAMPLE_PAYLOADS.model_call, prompt_ref: second.promptRef, completion_ref: second.completionRef } });
    events.append({ type: 'log', level: 'info', step: 'agent', payload: { message: `saw ${SECRET}` } });
    events.close();
    origin.updateStep(id, 'agent', { status: 'completed', inputs: { key: SECRET }, outputs: {} });
    origin.addLabel(id, { key: 'note', value: SECRET, author: 'a' });
    const doc = JSON.parse(JSON.stringify(origin.exportTrajectory(id)));

    const { store } = tempStore();
    store.setSharedSecrets({ VAULT_TOKEN: SECRET });
    const copy = store.importTrajectory(doc);
    const exported = store.exportTrajectory(copy);
    expect(JSON.stringify(exported)).not.toContain(SECRET);
    expect(exported.steps.agent.inputs).toEqual({ key: '[REDACTED:VAULT_TOKEN]' });
    expect(exported.labels[0].value).toBe('[REDACTED:VAULT_TOKEN]');
    // The second prompt's chain was rehashed over the redacted message, and its event points at the new node.
    const calls = exported.events.filter((e) => e.type === 'model_call');
    expect(calls[0].payload.prompt_ref).toBe(first.promptRef);
    expect(calls[1].payload.prompt_ref).not.toBe(second.promptRef);
    expect(store.conversations().prompt(copy, String(calls[1].payload.prompt_ref))).toEqual([system, user('hello'), answer, user('my key is [REDACTED:VAULT_TOKEN]')]);
    expect(store.conversations().message(copy, String(calls[1].payload.completion_ref))).toEqual(answer);
  });

  it("keep a workflow's document and parameters redacted in its journal, and put them back for a resume", () => {
    const { store } = tempStore();
    store.setSharedSecrets({ VAULT_TOKEN: SECRET });
    const journal = store.workflowJournal();
    const document = { init_params: { key: SECRET }, step_configs: { s: { activity: 'text_echo', text: `use ${SECRET}` } }, steps: ['s'] };
    const run = journal.createRun({ collection: 'c', task: 't', document, init_params: { key: SECRET }, owner: 'dead-owner' });
    // The run goes on with what it was given.
    expect(run.init_params).toEqual({ key: SECRET });
    journal.endStep(run.id, { step: 's', position: 0, status: 'completed', attempt: 1, inputs: { text: `use ${SECRET}` }, outputs: { text: `use ${SECRET}` }, error: null, started_at: new Date().toISOString(), events: [], usage: null });
    // Shown redacted.
    expect(JSON.stringify(journal.getRun(run.id))).not.toContain(SECRET);
    expect(journal.steps(run.id).get('s')!.outputs).toEqual({ text: 'use [REDACTED:VAULT_TOKEN]' });
    // Resumed whole.
    const [resumed] = journal.claimInterrupted('new-owner', () => false);
    expect(resumed.document).toEqual(document);
    expect(resumed.init_params).toEqual({ key: SECRET });
    expect(journal.resumeSteps(run.id).get('s')!.outputs).toEqual({ text: `use ${SECRET}` });
  });

  it("redact a trajectory imported in pieces (a pull's later pages, a large import)", () => {
    const { store } = tempStore();
    store.setSharedSecrets({ VAULT_TOKEN: SECRET });
    const { id } = store.createTrajectory(aTrajectory());
    store.continueImport(id, {
      events: [{ seq: 1, time: '2026-01-01T00:00:00.000Z', level: 'info', step: 'agent', type: 'log', payload: { message: `page two holds ${SECRET}` } }],
      steps: { agent: { status: 'completed', inputs: { key: SECRET }, outputs: {} } },
    });
    expect(JSON.stringify(store.exportTrajectory(id))).not.toContain(SECRET);
    expect(store.listEvents(id)[0].payload).toEqual({ message: 'page two holds [REDACTED:VAULT_TOKEN]' });
  });
});

