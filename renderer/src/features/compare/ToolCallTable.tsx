import type { Trajectory } from '../../../../shared/trajectory';
import { alignToolCalls, type ToolCallView } from './align';
import { useToolCalls } from './use-tool-calls';

const LABEL = { same: 'same', different: 'arguments differ', 'only-left': 'only left', 'only-right': 'only right' } as const;

/** Arguments longer than this are cut in the table (all of them in the tooltip). */
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

/** Both runs' tool calls aligned by name, with the calls whose arguments differ or that only one run made marked. */
export function ToolCallTable({ a, b }: { a: Trajectory; b: Trajectory }) {
  const left = useToolCalls(a.id);
  const right = useToolCalls(b.id);
  if (!left.calls || !right.calls) return <p className="muted">Reading the tool calls…</p>;
  const rows = alignToolCalls(left.calls, right.calls);
  if (rows.length === 0) return <p className="muted">Neither run made tool calls.</p>;
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
            <tr key={i} data-tool-call-row={i} data-comparison={r.comparison} className={r.comparison === 'same' ? undefined : 'row-differs'}>
              <td className="muted">{i + 1}</td>
              <td>
                <Call call={r.left} />
              </td>
              <td>
                <Call call={r.right} />
              </td>
              <td>
                <span className={`pill ${r.comparison === 'same' ? 'pill-ok' : 'pill-warning'}`}>{LABEL[r.comparison]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
