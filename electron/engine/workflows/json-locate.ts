/**
 * Where a JSON path (keys and indexes from the root) sits in JSON text: the line and column
 * (1-based) of the member's key, or of the array element. Falls back to the deepest
 * ancestor found. A small scanner over valid JSON (the text was parsed first).
 */
export function locateJsonPath(text: string, path: readonly (string | number)[]): { line: number; column: number } {
  let at = 0;
  const ws = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const skipString = () => {
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
  };
  const skipValue = (): void => {
    ws();
    const c = text[at];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      at++;
      ws();
      while (text[at] !== close && at < text.length) {
        if (c === '{') {
          skipString();
          ws();
          at++; // :
        }
        skipValue();
        ws();
        if (text[at] === ',') at++;
        ws();
      }
      at++;
      return;
    }
    while (at < text.length && !/[\s,\]}]/.test(text[at])) at++;
  };
  let found = 0;
  for (const segment of path) {
    ws();
    const open = text[at];
    if (open !== '{' && open !== '[') break;
    at++;
    let hit = false;
    for (let index = 0; at < text.length; index++) {
      ws();
      if (text[at] === '}' || text[at] === ']') break;
      const start = at;
      let key: string | number = index;
      if (open === '{') {
        const keyStart = at;
        skipString();
        key = JSON.parse(text.slice(keyStart, at)) as string;
        ws();
        at++; // :
      }
      if (key === segment) {
        found = start;
        if (open === '{') ws();
        hit = true;
        break;
      }
      skipValue();
      ws();
      if (text[at] === ',') at++;
    }
    if (!hit) break;
  }
  const before = text.slice(0, found);
  const line = before.split('\n').length;
  return { line, column: found - before.lastIndexOf('\n') };
}
