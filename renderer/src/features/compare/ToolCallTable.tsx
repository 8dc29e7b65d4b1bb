import { Fragment, useState } from 'react';
import type { Trajectory } from '../../../../shared/trajectory';
import { alignToolCalls, readableArgs, type ToolCallView } from './align';
import { LineDiff } from './LineDiff';
import { useToolCalls } from './use-tool-calls';

const LABEL = { same: 'same', different: 'arguments differ', 'only-left': 'only left', 'only-right': 'only right' } as const;

/** Arguments longer than this are cut in the table (all of them in the tooltip and the diff). */
const SHOWN_ARGS = 400;

function Call({ call }: { call: ToolCallView | null }) {
  if (!call) return <span className="muted">—</span>;
  const cut = call.args.length > SHOWN_ARGS;
  return (
    <>
      <strong>{call.name}</strong>{' '}
      <code className="compare-value" title={cut ? call.args : undefined}>
        {cut ? `${call.args.slice(0, SHOWN_ARGS)}…` : call.args}
      </code>
    </>
  );
}

/**
 * Two runs' tool calls aligned by name, with the calls whose arguments differ or that only
 * one run made marked; a call whose arguments differ opens to their readable diff (the
 * arguments pretty-printed, line by line).
 */
export function ToolCallTable({ a, b }: { a: Trajectory; b: Trajectory }) {
  const left = useToolCalls(a.id);
  const right = useToolCalls(b.id);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  if (!left.calls || !right.calls) return <p className="muted">Reading the tool calls…</p>;
  const rows = alignToolCalls(left.calls, right.calls);
  if (rows.length === 0) return <p className="muted">Neither run made tool calls.</p>;
  const toggle = (i: number) =>
    setOpen((old) => {
      const next = new Set(old);
      if (!next.delete(i)) next.add(i);
      return next;
    });
  return (
    <>
      {(left.truncated || right.truncated) && <p className="muted small">Only the first 50,000 events of each run are compared.</p>}
      <table className="table compare-tool-calls">
        <thead>
          <tr>
            <th>#</th>
            <th>{a.id}</th>
            <th>{b.id}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <Fragment key={i}>
              <tr data-tool-call-row={i} data-comparison={r.comparison} className={r.comparison === 'same' ? undefined : 'row-differs'}>
                <td className="muted">{i + 1}</td>
                <td>
                  <Call call={r.left} />
                </td>
                <td>
                  <Call call={r.right} />
                </td>
                <td>
                  <span className={`pill ${r.comparison === 'same' ? 'pill-ok' : 'pill-warning'}`}>{LABEL[r.comparison]}</span>
                  {r.comparison === 'different' && (
                    <button type="button" className="button button-small args-diff-toggle" aria-expanded={open.has(i)} onClick={() => toggle(i)}>
                      {open.has(i) ? 'Hide diff' : 'Diff'}
                    </button>
                  )}
                </td>
              </tr>
              {open.has(i) && r.left && r.right && (
                <tr className="args-diff-row" data-args-diff={i}>
                  <td />
                  <td colSpan={3}>
                    <LineDiff before={readableArgs(r.left.args)} after={readableArgs(r.right.args)} label={`Differences in the arguments of call ${i + 1}`} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </>
  );
}
