/** A run of text with one set of SGR attributes. Colours 0–15 are palette indexes (themed in CSS); others are CSS colours. */
export interface AnsiSpan {
  text: string;
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

type Style = Omit<AnsiSpan, 'text'>;

// CSI sequences (ESC [ params final) and the two-byte ESC forms; only SGR (final `m`) is applied.
const ESCAPES = /\u001b\[([0-9;:?]*)([@-~])|\u001b[@-Z\\-_]/g;

/** The xterm 256-colour palette entry `n` (16–255) as a CSS colour. */
function color256(n: number): string {
  if (n >= 232) {
    const level = 8 + (n - 232) * 10;
    return `rgb(${level},${level},${level})`;
  }
  const i = n - 16;
  const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

/** Reads an extended colour (`38;5;n` or `38;2;r;g;b`) starting at codes[i]; returns the colour and how many codes it used. */
function extendedColor(codes: number[], i: number): [number | string | undefined, number] {
  if (codes[i + 1] === 5 && codes[i + 2] !== undefined) {
    const n = codes[i + 2];
    return [n < 16 ? n : color256(Math.min(n, 255)), 2];
  }
  if (codes[i + 1] === 2 && codes[i + 4] !== undefined) return [`rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`, 4];
  return [undefined, 0];
}

function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((c) => (c === '' ? 0 : Number(c)));
  let next: Style = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) next = {};
    else if (c === 1) next.bold = true;
    else if (c === 2) next.dim = true;
    else if (c === 3) next.italic = true;
    else if (c === 4) next.underline = true;
    else if (c === 22) next.bold = next.dim = undefined;
    else if (c === 23) next.italic = undefined;
    else if (c === 24) next.underline = undefined;
    else if (c >= 30 && c <= 37) next.fg = c - 30;
    else if (c >= 90 && c <= 97) next.fg = c - 90 + 8;
    else if (c === 39) next.fg = undefined;
    else if (c >= 40 && c <= 47) next.bg = c - 40;
    else if (c >= 100 && c <= 107) next.bg = c - 100 + 8;
    else if (c === 49) next.bg = undefined;
    else if (c === 38 || c === 48) {
      const [color, used] = extendedColor(codes, i);
      if (c === 38) next.fg = color;
      else next.bg = color;
      i += used;
    }
  }
  return next;
}

/**
 * Splits terminal output into styled spans: SGR colours and attributes are kept, every
 * other escape sequence (cursor moves, clears) is dropped. `initial` carries the style
 * left open by a previous chunk; the style at the end is returned with the spans.
 */
export function parseAnsi(input: string, initial: Style = {}): { spans: AnsiSpan[]; style: Style } {
  const spans: AnsiSpan[] = [];
  let style = initial;
  let last = 0;
  const push = (text: string) => {
    if (text) spans.push({ text, ...style });
  };
  for (const match of input.matchAll(ESCAPES)) {
    push(input.slice(last, match.index));
    if (match[2] === 'm') style = applySgr(style, match[1]);
    last = match.index + match[0].length;
  }
  push(input.slice(last));
  return { spans, style };
}

/** The text a terminal shows: every escape sequence removed. */
export const stripAnsi = (input: string): string => (input.includes('\u001b') ? input.replace(ESCAPES, '') : input);
