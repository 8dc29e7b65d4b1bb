/** `text` with every occurrence of the search's words marked (any case). */
export function MarkedWords({ text, words }: { text: string; words: string }) {
  const list = words
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((w) => w.length > 0);
  if (list.length === 0) return <>{text}</>;
  const lower = text.toLowerCase();
  const marked = new Uint8Array(text.length);
  for (const w of list) for (let at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + w.length)) marked.fill(1, at, at + w.length);
  const parts: { text: string; marked: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = parts.at(-1);
    if (last && last.marked === (marked[i] === 1)) last.text += text[i];
    else parts.push({ text: text[i], marked: marked[i] === 1 });
  }
  return (
    <>
      {parts.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
