// Monaco ships this grammar without type declarations.
declare module 'monaco-editor/languages/definitions/markdown/markdown.js' {
  import type { languages } from 'monaco-editor/editor/editor.api.js';
  export const conf: languages.LanguageConfiguration;
  export const language: languages.IMonarchLanguage & { tokenizer: Record<string, languages.IMonarchLanguageRule[]> };
}
