import type { Trajectory } from '../../../../shared/trajectory';
import { alignParams } from './align';

/** Both runs' parameters side by side; differing values are highlighted. */
export function ParamTable({ a, b }: { a: Trajectory; b: Trajectory }) {
  const rows = alignParams(a, b);
  if (rows.length === 0) return <p className="muted">Neither run has parameters.</p>;
  return (
    <table className="table compare-params">
      <thead>
        <tr>
          <th>Parameter</th>
          <th>{a.id}</th>
          <th>{b.id}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name} data-param-row={r.name} data-differs={r.differs} className={r.differs ? 'row-differs' : undefined}>
            <td>
              <code>{r.name}</code>
            </td>
            {[r.left, r.right].map((v, i) => (
              <td key={i}>{v === null ? <span className="muted">—</span> : <code className="compare-value">{v}</code>}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
