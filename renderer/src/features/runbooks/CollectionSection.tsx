import { memo } from 'react';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { collapseKey, useRunbookList } from '../../stores/runbook-list';
import type { CollectionGroup } from './group-by-collection';
import { RunbookRow } from './RunbookRow';

/**
 * A collection (or sub-collection, nested inside it): a header that folds it, its
 * runbooks, then its sub-collections. `unfolded` shows everything (while filtering).
 */
export const CollectionSection = memo(function CollectionSection({ folder, group, unfolded }: { folder: string; group: CollectionGroup; unfolded: boolean }) {
  const showHints = useRunbookList((s) => s.showHints);
  const key = collapseKey(folder, group.key);
  const collapsed = useRunbookList((s) => s.collapsed.has(key)) && !unfolded;
  const toggle = useRunbookList((s) => s.toggleCollapsed);
  const Heading = group.depth === 0 ? 'h3' : 'h4';
  return (
    <section className={`collection depth-${Math.min(group.depth, 3)}`} data-collection={group.key} data-collapsed={collapsed}>
      <Heading className="collection-header">
        <button type="button" className="collection-toggle" aria-expanded={!collapsed} onClick={() => toggle(key)} disabled={unfolded}>
          <span className="collection-chevron" aria-hidden="true">
            {collapsed ? '▸' : '▾'}
          </span>
          <span className="collection-name">{group.collection}</span>
          <span className="collection-count">{group.total}</span>
        </button>
        <DiagnosticBadges errors={group.errors} warnings={group.warnings} infos={showHints ? group.infos : 0} />
      </Heading>
      {!collapsed && (
        <>
          {group.runbooks.length > 0 && (
            <ul className="runbook-list">
              {group.runbooks.map((rb) => (
                <RunbookRow key={rb.path} runbook={rb} showHints={showHints} />
              ))}
            </ul>
          )}
          {group.children.map((child) => (
            <CollectionSection key={child.key} folder={folder} group={child} unfolded={unfolded} />
          ))}
        </>
      )}
    </section>
  );
});
