const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Error / warning / info counts as small coloured badges; a quiet check mark when all are zero. */
export function DiagnosticBadges({ errors, warnings, infos }: { errors: number; warnings: number; infos: number }) {
  if (errors + warnings + infos === 0) {
    return (
      <span className="badges" aria-label="no problems">
        <span className="badge badge-ok" title="No problems">
          ✓
        </span>
      </span>
    );
  }
  const items = [
    { kind: 'error', count: errors, label: plural(errors, 'error') },
    { kind: 'warning', count: warnings, label: plural(warnings, 'warning') },
    { kind: 'info', count: infos, label: plural(infos, 'hint') },
  ].filter((i) => i.count > 0);
  return (
    <span className="badges" aria-label={items.map((i) => i.label).join(', ')}>
      {items.map((i) => (
        <span key={i.kind} className={`badge badge-${i.kind}`} title={i.label} data-kind={i.kind}>
          <span className="badge-dot" aria-hidden="true" />
          {i.count}
        </span>
      ))}
    </span>
  );
}
