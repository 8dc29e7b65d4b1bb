import { pythonFStringEscapes, type BraceEscapes } from './python-fstrings';
import { heredocStart } from './shell-heredocs';
import type { SourceText } from './source-text';

/** An ATX heading outside code fences. */
export interface HeadingLine {
  level: number;
  text: string;
  line: number;
}

/** A `{{name}}` or `{{secrets.NAME}}` occurrence, 1-based position of the opening brace. */
export interface TemplateRef {
  name: string;
  secret: boolean;
  line: number;
  column: number;
  length: number;
}

export interface MarkdownScan {
  headings: HeadingLine[];
  refs: TemplateRef[];
  /** 1-based line of a code fence that is never closed, or 0. */
  unclosedFence: number;
}

const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
/**
 * `{{name}}` or `{{secrets.NAME}}`, inner spaces allowed (`{{ name }}`, as Jinja and Jetty read it); not `${{…}}`
 * (GitHub Actions) nor `{{{…}}}` (raw Handlebars).
 */
export const TEMPLATE_REF = /(?<![$\\{])\{\{[ \t]*(secrets\.[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}(?!\})/g;

/** A fence's info string names Python (```python, ```py, ```python3 {.numberLines}). */
const PYTHON_INFO = /^\{?\.?(?:python3?|py3?|ipython3?)\b/i;

/** An open code fence; `python` scans a Python block, `heredoc` the heredoc open in another block. */
interface Fence {
  char: string;
  length: number;
  line: number;
  python: BraceEscapes | null;
  heredoc: { end: string; python: BraceEscapes | null } | null;
}

/** The escaped braces of one line inside a code fence, following the fence's Python or heredoc state. */
function escapesInFence(fence: Fence, text: string): Set<number> | undefined {
  if (fence.python) return fence.python(text);
  if (fence.heredoc) {
    if (text.trim() !== fence.heredoc.end) return fence.heredoc.python?.(text);
    fence.heredoc = null;
    return undefined;
  }
  const start = heredocStart(text);
  if (start) fence.heredoc = { end: start.end, python: start.python ? pythonFStringEscapes() : null };
  return undefined;
}

/**
 * One pass over the lines: headings and fences from `bodyStartLine` on, template
 * references everywhere (frontmatter included, as rendering substitutes the whole file),
 * except an f-string's escaped braces inside Python code: Python code blocks, and Python
 * heredocs in other blocks (`python3 - <<'EOF'`). Lint and render both read these
 * references, so they agree on what is a variable.
 */
export function scanMarkdown(source: SourceText, bodyStartLine: number): MarkdownScan {
  const headings: HeadingLine[] = [];
  const refs: TemplateRef[] = [];
  let fence: Fence | null = null;
  const { lines } = source;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const line = i + 1;
    let escaped: Set<number> | undefined;
    if (line >= bodyStartLine) {
      const fenceMatch = text.includes('```') || text.includes('~~~') ? FENCE.exec(text) : null;
      if (fence) {
        if (fenceMatch && fenceMatch[1][0] === fence.char && fenceMatch[1].length >= fence.length && fenceMatch[2].trim() === '') {
          fence = null;
        } else {
          escaped = escapesInFence(fence, text);
        }
      } else if (fenceMatch && !(fenceMatch[1][0] === '`' && fenceMatch[2].includes('`'))) {
        const python = PYTHON_INFO.test(fenceMatch[2].trim()) ? pythonFStringEscapes() : null;
        fence = { char: fenceMatch[1][0], length: fenceMatch[1].length, line, python, heredoc: null };
      } else if (text.trimStart().startsWith('#')) {
        const heading = HEADING.exec(text);
        if (heading) headings.push({ level: heading[1].length, text: (heading[2] ?? '').trim(), line });
      }
    }
    if (text.includes('{{')) collectRefs(text, line, refs, escaped);
  }
  return { headings, refs, unclosedFence: fence ? fence.line : 0 };
}

function collectRefs(text: string, line: number, out: TemplateRef[], escaped: Set<number> | undefined) {
  TEMPLATE_REF.lastIndex = 0;
  for (let m = TEMPLATE_REF.exec(text); m !== null; m = TEMPLATE_REF.exec(text)) {
    if (escaped?.has(m.index)) continue;
    const secret = m[1].startsWith('secrets.');
    out.push({
      name: secret ? m[1].slice('secrets.'.length) : m[1],
      secret,
      line,
      column: m.index + 1,
      length: m[0].length,
    });
  }
}
