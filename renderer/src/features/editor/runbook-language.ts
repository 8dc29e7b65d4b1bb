import type { languages } from 'monaco-editor/editor/editor.api.js';
import { conf, language as markdown } from 'monaco-editor/languages/definitions/markdown/markdown.js';

export const RUNBOOK_LANGUAGE = 'runbook';

/**
 * Markdown with YAML frontmatter (the first `---` block, tokenized as embedded YAML) and
 * `{{template variables}}` highlighted in running text.
 */
export function runbookLanguage(): { conf: languages.LanguageConfiguration; language: languages.IMonarchLanguage } {
  const tokenizer = markdown.tokenizer;
  return {
    conf,
    language: {
      ...markdown,
      start: 'document',
      tokenizer: {
        ...tokenizer,
        document: [
          [/^---\s*$/, { token: 'metatag', switchTo: '@frontmatter', nextEmbedded: 'yaml' }],
          [/.*$/, { token: '@rematch', switchTo: '@root' }],
        ],
        frontmatter: [[/^---\s*$/, { token: 'metatag', switchTo: '@root', nextEmbedded: '@pop' }]],
        linecontent: [[/\{\{\s*[\w.-]+\s*\}\}/, 'variable'], ...tokenizer.linecontent],
      },
    },
  };
}
