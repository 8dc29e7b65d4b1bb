import { z } from 'zod';
import { LabelSchema, type Label } from '../../../shared/trajectory';
import { nowIso, type StoreContext } from './context';
import { parseOrThrow } from './validate';

export type LabelsRepository = ReturnType<typeof labelsRepository>;

/** The longest label key and author (characters): a name, an e-mail address. */
export const MAX_LABEL_KEY_LENGTH = 256;
/** The longest label value (characters): a verdict or a short note, not a document. */
export const MAX_LABEL_VALUE_LENGTH = 4096;

/** A label as added by a person or a client: bounded key, value and author. */
const NewLabelSchema = LabelSchema.extend({
  key: LabelSchema.shape.key.max(MAX_LABEL_KEY_LENGTH),
  value: z.string().max(MAX_LABEL_VALUE_LENGTH),
  author: LabelSchema.shape.author.max(MAX_LABEL_KEY_LENGTH),
});

/** Labels (key, value, author, time) on a trajectory, listed by key and value; a key may carry several values. */
export function labelsRepository(ctx: StoreContext) {
  const sql = {
    put: ctx.db.prepare(`
      INSERT INTO labels (trajectory_id, key, value, author, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (trajectory_id, key, value) DO UPDATE SET author = excluded.author, created_at = excluded.created_at`),
    removeKey: ctx.db.prepare('DELETE FROM labels WHERE trajectory_id = ? AND key = ?'),
    removeValue: ctx.db.prepare('DELETE FROM labels WHERE trajectory_id = ? AND key = ? AND value = ?'),
    list: ctx.db.prepare<[string], Required<Label>>(
      'SELECT key, value, author, created_at FROM labels WHERE trajectory_id = ? ORDER BY key, value',
    ),
  };

  /** Writes a label redacted, stamping the time if it has none. */
  const put = (trajectoryId: string, label: Label): Required<Label> => {
    const stored = ctx.redactorFor(trajectoryId).redactValue({ ...label, created_at: label.created_at ?? nowIso() });
    sql.put.run(trajectoryId, stored.key, stored.value, stored.author, stored.created_at);
    return stored;
  };

  return {
    /** Stores a label that came with an imported trajectory: the same bounds as an added one, its own time kept. */
    putImported: (trajectoryId: string, label: Label): Required<Label> =>
      put(trajectoryId, parseOrThrow(NewLabelSchema, label, 'label')),
    /** Adds a label (bounded, then redacted); adding the same key and value again updates author and time. */
    add(trajectoryId: string, label: Label): Required<Label> {
      const parsed = parseOrThrow(NewLabelSchema, label, 'label');
      return put(trajectoryId, { ...parsed, created_at: nowIso() });
    },
    /** Removes one value of a key, or every value when `value` is omitted; returns how many. */
    remove(trajectoryId: string, key: string, value?: string): number {
      return (value === undefined ? sql.removeKey.run(trajectoryId, key) : sql.removeValue.run(trajectoryId, key, value))
        .changes;
    },
    all: (trajectoryId: string): Required<Label>[] => sql.list.all(trajectoryId),
  };
}
