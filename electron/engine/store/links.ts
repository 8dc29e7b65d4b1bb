import { NESTED_LINK_KINDS, type TrajectoryLinkKind, type TrajectoryRelations } from '../../../shared/trajectory-search';
import type { StoreContext } from './context';
import { headerFromRow, type TrajectoryHeader } from './trajectories';

const NESTED = NESTED_LINK_KINDS.map((k) => `'${k}'`).join(', ');

type LinkRow = { id: string; kind: TrajectoryLinkKind; step: string | null };

export type LinksRepository = ReturnType<typeof linksRepository>;

/**
 * How trajectories relate (migration 12): the runs nested under a workflow (its model calls,
 * fan-out children and `run_runbook` runs, linked by triggers as they are written), and a
 * re-run's original (linked when the re-run starts).
 */
export function linksRepository(ctx: StoreContext) {
  const sql = {
    children: ctx.db.prepare<[string, number], Parameters<typeof headerFromRow>[0] & { link_kind: TrajectoryLinkKind; link_step: string | null }>(
      `SELECT t.*, l.kind AS link_kind, l.step AS link_step FROM trajectory_links l JOIN trajectories t ON t.id = l.child_id
       WHERE l.parent_id = ? AND l.kind IN (${NESTED}) ORDER BY t.created_at, t.rowid LIMIT ?`,
    ),
    childCount: ctx.db.prepare<[string], number>(
      `SELECT count(*) FROM trajectory_links l JOIN trajectories t ON t.id = l.child_id WHERE l.parent_id = ? AND l.kind IN (${NESTED})`,
    ).pluck(),
    childCounts: ctx.db.prepare<[string], { parent_id: string; n: number }>(
      `SELECT l.parent_id, count(*) AS n FROM trajectory_links l JOIN trajectories t ON t.id = l.child_id
       WHERE l.parent_id IN (SELECT value FROM json_each(?)) AND l.kind IN (${NESTED}) GROUP BY l.parent_id`,
    ),
    parent: ctx.db.prepare<[string], LinkRow>(`SELECT parent_id AS id, kind, step FROM trajectory_links WHERE child_id = ? AND kind IN (${NESTED})`),
    rerunOf: ctx.db.prepare<[string], string>("SELECT parent_id FROM trajectory_links WHERE child_id = ? AND kind = 'rerun'").pluck(),
    reruns: ctx.db.prepare<[string], string>(
      "SELECT l.child_id FROM trajectory_links l JOIN trajectories t ON t.id = l.child_id WHERE l.parent_id = ? AND l.kind = 'rerun' ORDER BY t.created_at LIMIT 100",
    ).pluck(),
    link: ctx.db.prepare<[string, string, string]>("INSERT OR REPLACE INTO trajectory_links (child_id, kind, parent_id, step) VALUES (?, ?, ?, NULL)"),
  };
  return {
    /** The runs nested under `parentId`, oldest first, at most `limit`, with their total. */
    children(parentId: string, limit: number): { children: { header: TrajectoryHeader; kind: TrajectoryLinkKind; step: string | null }[]; total: number } {
      const rows = sql.children.all(parentId, limit);
      return { children: rows.map((r) => ({ header: headerFromRow(r), kind: r.link_kind, step: r.link_step })), total: sql.childCount.get(parentId) ?? 0 };
    },
    /** How many runs nest under each of `ids` (only those with some). */
    childCounts(ids: readonly string[]): Record<string, number> {
      if (ids.length === 0) return {};
      return Object.fromEntries(sql.childCounts.all(JSON.stringify(ids)).map((r) => [r.parent_id, r.n]));
    },
    relations(id: string): Omit<TrajectoryRelations, 'origin' | 'evaluation'> {
      return { parent: sql.parent.get(id) ?? null, rerunOf: sql.rerunOf.get(id) ?? null, reruns: sql.reruns.all(id), children: sql.childCount.get(id) ?? 0 };
    },
    /** Records that `id` re-ran `original`. */
    linkRerun(id: string, original: string): void {
      sql.link.run(id, 'rerun', original);
    },
  };
}
