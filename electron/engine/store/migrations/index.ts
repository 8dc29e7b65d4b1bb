import { sql as initial } from './001_initial';
import { sql as catalog } from './002_catalog';
import { sql as rowidStepsEvents } from './003_rowid_steps_events';
import { sql as workflowJournal } from './004_workflow_journal';
import { sql as cloud } from './005_cloud';
import { sql as artifactStorage } from './006_artifact_storage';
import { sql as stepIdempotencyKeys } from './007_step_idempotency_keys';
import { sql as uploadKinds } from './008_upload_kinds';
import { sql as conversations } from './009_conversations';
import { sql as evaluationVerdict } from './010_evaluation_verdict';
import { sql as evaluations } from './011_evaluations';
import { sql as searchAndLinks } from './012_search_and_links';
import { sql as routines } from './013_routines';
import { sql as webhooks } from './014_webhooks';
import { sql as suggestions } from './015_suggestions';
import { sql as suggestionLookup } from './016_suggestion_lookup';

/**
 * One numbered schema change. `id` values start at 1 and increase; numbers are handed out
 * to branches worked on side by side, so a branch may lack another's (its number is kept
 * free, and a database that has one applies the other when it comes).
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Every migration, in order. Append new ones; never edit or reorder applied ones. */
export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: 'initial', sql: initial },
  { id: 2, name: 'catalog', sql: catalog },
  { id: 3, name: 'rowid steps and events', sql: rowidStepsEvents },
  { id: 4, name: 'workflow journal', sql: workflowJournal },
  { id: 5, name: 'cloud outbox and origins', sql: cloud },
  { id: 6, name: 'artifact storage', sql: artifactStorage },
  { id: 7, name: 'step idempotency keys', sql: stepIdempotencyKeys },
  { id: 8, name: 'upload kinds', sql: uploadKinds },
  { id: 9, name: 'conversations and rendered runbooks', sql: conversations },
  { id: 10, name: 'evaluation verdict', sql: evaluationVerdict },
  { id: 11, name: 'evaluations', sql: evaluations },
  { id: 12, name: 'search index and trajectory links', sql: searchAndLinks },
  { id: 13, name: 'routines', sql: routines },
  { id: 14, name: 'webhooks', sql: webhooks },
  { id: 15, name: 'suggestions', sql: suggestions },
  { id: 16, name: 'suggestion lookup', sql: suggestionLookup },
];
