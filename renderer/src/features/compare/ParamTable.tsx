import type { Trajectory } from '../../../../shared/trajectory';
import { alignParams } from './align';

/** The runs' parameters side by side; a row where any run differs from the first is highlighted. */
export function ParamTable({ runs }: { runs: Trajectory[] }) {
  const rows = alignParams(runs);
  if (rows.length === 0) return <p className="muted">No run has parameters.</p>;
  return (
    <table className="table compare-params">
      <thead>
        <tr>
          <th>Parameter</th>
          {runs.map((t) => (
            <th key={t.id}>{t.id}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name} data-param-row={r.name} data-differs={r.differs} className={r.differs ? 'row-differs' : undefined}>
            <td>
              <code>{r.name}</code>
            </td>
            {r.values.map((v, i) => (
              <td key={i} data-differs={i > 0 && v !== r.values[0]}>
                {v === null ? <span className="muted">—</span> : <code className="compare-value">{v}</code>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
