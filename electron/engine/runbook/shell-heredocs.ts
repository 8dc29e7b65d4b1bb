/**
 * Heredocs in shell code blocks, and which of them hold Python: the body of
 * `python3 - <<'EOF'`, `python <<PY`, `cat <<'EOF' | uv run python -` or
 * `cat > check.py <<'EOF'` is a Python program, so its f-strings escape braces as a
 * Python code block's do (`f"{{now}}"` is Python's literal `{now}`). Other heredocs
 * (`cat > .env <<EOF`, `python3 tool.py <<EOF`, whose body is the script's input) keep
 * their `{{name}}` references, as the rest of a shell block does.
 */
export interface HeredocStart {
  /** The line that ends the body (the delimiter, quotes removed). */
  end: string;
  /** The body is a Python program. */
  python: boolean;
}

/** `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`, `<<\EOF`; not `<<<` (a here-string) nor `1 << 2`. */
const HEREDOC = /(?<!<)<<(?!<)-?[ \t]*(?:'([^']+)'|"([^"]+)"|\\?([A-Za-z_][A-Za-z0-9_.-]*))/;
/** A Python interpreter as a command word: `python`, `python3`, `python3.12`, `/usr/bin/python3`, `ipython`. */
const PYTHON = /(?:^|[\s;&|(/])(?:python[0-9.]*|ipython3?)(?=[\s;&|)<]|$)/g;
/** Output written to a `.py` file: `cat > check.py`, `cat >> "$DIR/x.py"`, `tee x.py`. */
const PY_FILE = /(?:>>?|\btee(?:[ \t]+-a)?)[ \t]*["']?[^\s"'<>|;&]*\.py["']?(?=[\s;&|)<]|$)/;
/** Interpreter options followed by a value (`-W ignore`, `-X dev`). */
const OPTION_WITH_VALUE = new Set(['-W', '-X', '-Q']);

/** Whether the interpreter whose arguments start `args` reads its program from standard input. */
function readsProgramFromStdin(args: string): boolean {
  const words = args.trim().split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '' || word === '-' || /^[<>|;&)]/.test(word)) return true;
    if (word === '-c' || word === '-m' || word.startsWith('-c') || word.startsWith('-m')) return false;
    if (!word.startsWith('-')) return false; // a script: the heredoc is its input
    if (OPTION_WITH_VALUE.has(word)) i++;
  }
  return true;
}

function runsPython(line: string): boolean {
  if (PY_FILE.test(line)) return true;
  PYTHON.lastIndex = 0;
  for (let m = PYTHON.exec(line); m !== null; m = PYTHON.exec(line)) {
    if (readsProgramFromStdin(line.slice(m.index + m[0].length))) return true;
  }
  return false;
}

/** The heredoc a shell line opens, if any. */
export function heredocStart(line: string): HeredocStart | null {
  if (!line.includes('<<')) return null;
  const m = HEREDOC.exec(line);
  if (!m) return null;
  return { end: m[1] ?? m[2] ?? m[3], python: runsPython(line) };
}
