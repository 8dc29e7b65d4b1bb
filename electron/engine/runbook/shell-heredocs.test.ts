import { describe, expect, it } from 'vitest';
import { heredocStart } from './shell-heredocs';

describe('heredocStart', () => {
  it.each([
    [`python3 - <<'EOF'`, { end: 'EOF', python: true }],
    [`python - "$RESULTS_DIR/deck.pdf" <<'PY'`, { end: 'PY', python: true }],
    ['  python <<PY', { end: 'PY', python: true }],
    ['/usr/bin/python3.12 -u - << "END"', { end: 'END', python: true }],
    ['cat <<\\EOF | uv run --with pandas python -', { end: 'EOF', python: true }],
    ['cat > "$DIR/check.py" <<-EOF', { end: 'EOF', python: true }],
    ['tee -a tools/fix.py <<EOF >/dev/null', { end: 'EOF', python: true }],
  ])('reads Python in `%s`', (line, expected) => {
    expect(heredocStart(line)).toEqual(expected);
  });

  it.each([
    ['cat > "{{results_dir}}/.env" <<EOF', { end: 'EOF', python: false }],
    ['python3 report.py <<EOF', { end: 'EOF', python: false }],
    ['python3 -m json.tool <<EOF', { end: 'EOF', python: false }],
    ['python3 -c "import sys; print(sys.stdin.read())" <<EOF', { end: 'EOF', python: false }],
    ['cat <<EOF > notes.pyc', { end: 'EOF', python: false }],
  ])('reads data, not Python, in `%s`', (line, expected) => {
    expect(heredocStart(line)).toEqual(expected);
  });

  it.each(['python3 - <<< "print(1)"', 'echo $((1 << 2))', 'echo "<<"', 'python3 -'])('finds no heredoc in `%s`', (line) => {
    expect(heredocStart(line)).toBeNull();
  });
});
