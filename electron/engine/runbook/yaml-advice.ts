/** What to do about a YAML parser error, in plain words (the parser's own text stays beside it). */
const ADVICE: [RegExp, string][] = [
  [/duplicated mapping key/i, 'A key appears twice in the frontmatter: keep one of them.'],
  [/tab characters? must not be used|\\t/i, 'YAML does not allow tabs for indentation: indent with spaces.'],
  [/bad indentation|end of the stream or a document separator is expected|expected <block end>/i, 'The indentation is off: nested keys need the same number of spaces (two is usual), and top-level keys none.'],
  [/flow collection|missed comma|unexpected end of the stream/i, 'A list or mapping opened with [ or { is not closed, or lacks a comma: close it with ] or }, or quote the value.'],
  [/block mapping entry|implicit key|incomplete explicit mapping pair|a key node is missed/i, 'A value that contains ": " must be quoted, e.g. title: "Step 1: set up".'],
  [/unknown tag|unidentified alias|undefined alias/i, 'A value starts with ! or * (YAML tags and aliases): quote it.'],
  [/end of the stream|unexpected end|double-quoted|single-quoted/i, 'A quoted value is not closed: end it with the same quote it starts with.'],
];

const FALLBACK = 'Check the line shown: quote values that contain `:`, `#`, `[` or `{`, and indent nested keys with spaces.';

export function yamlAdvice(reason: string): string {
  return ADVICE.find(([pattern]) => pattern.test(reason))?.[1] ?? FALLBACK;
}
