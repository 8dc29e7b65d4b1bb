/** `text` with the characters at `positions` marked (a fuzzy match's letters). */
export function Marked({ text, positions }: { text: string; positions: readonly number[] | null }) {
  if (!positions?.length) return <>{text}</>;
  const marked = new Set(positions);
  const parts: { text: string; marked: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = parts.at(-1);
    if (last && last.marked === marked.has(i)) last.text += text[i];
    else parts.push({ text: text[i], marked: marked.has(i) });
  }
  return (
    <>
      {parts.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
