import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { useEditor } from '../../stores/editor';
import { completionContext, frontmatterEnd } from './completion-context';
import { FRONTMATTER_KEYS, keyDoc } from './frontmatter-docs';
import { RUNBOOK_LANGUAGE } from './runbook-language';

type MonacoApi = typeof Monaco;

/** Completions (frontmatter keys and values, declared `{{variables}}`) and hover docs for runbooks. */
export function registerIntellisense(monaco: MonacoApi): void {
  const Kind = monaco.languages.CompletionItemKind;

  monaco.languages.registerCompletionItemProvider(RUNBOOK_LANGUAGE, {
    triggerCharacters: ['{', ':', ' '],
    provideCompletionItems(model, position) {
      const context = completionContext(model.getLinesContent(), position.lineNumber, position.column);
      if (!context) return { suggestions: [] };
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      if (context.kind === 'key') {
        return {
          suggestions: FRONTMATTER_KEYS.map((k) => ({
            label: k.key,
            kind: Kind.Property,
            documentation: { value: k.doc },
            insertText: `${k.key}:${k.snippet ?? ' '}`,
            range,
          })),
        };
      }
      if (context.kind === 'value') {
        return {
          suggestions: (keyDoc(context.key)?.values ?? []).map((v) => ({ label: v, kind: Kind.EnumMember, insertText: v, range })),
        };
      }
      const { parameters, secrets } = useEditor.getState();
      const names = [
        ...parameters.map((p) => ({ name: p.name, doc: `${p.label}${p.required ? ' (required)' : ''}${p.default ? ` — default \`${p.default}\`` : ''}` })),
        ...secrets.map((s) => ({ name: `secrets.${s.name}`, doc: s.description ?? 'A declared secret (redacted in everything recorded).' })),
      ];
      if (!names.some((n) => n.name === 'results_dir')) names.push({ name: 'results_dir', doc: 'Where the run writes its results (/app/results).' });
      const closing = model.getLineContent(position.lineNumber).slice(position.column - 1).startsWith('}}') ? '' : '}}';
      return {
        suggestions: names.map((n) => ({ label: n.name, kind: Kind.Variable, documentation: { value: n.doc }, insertText: `${n.name}${closing}`, range })),
      };
    },
  });

  monaco.languages.registerHoverProvider(RUNBOOK_LANGUAGE, {
    provideHover(model, position) {
      const line = model.getLineContent(position.lineNumber);
      const lines = model.getLinesContent();
      const key = line.match(/^([A-Za-z_]+):/);
      if (key && position.lineNumber > 1 && position.lineNumber < frontmatterEnd(lines) && position.column <= key[1].length + 1) {
        const doc = keyDoc(key[1]);
        if (doc) return { contents: [{ value: `**${doc.key}**` }, { value: doc.doc }, ...(doc.values ? [{ value: `Values: ${doc.values.map((v) => `\`${v}\``).join(', ')}` }] : [])] };
      }
      for (const m of line.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
        const start = m.index + 1;
        if (position.column < start || position.column > start + m[0].length) continue;
        const { parameters, secrets } = useEditor.getState();
        const p = parameters.find((x) => x.name === m[1]);
        const s = m[1].startsWith('secrets.') ? secrets.find((x) => x.name === m[1].slice(8)) : undefined;
        const text = p ? `Parameter **${p.label}**${p.required ? ' (required)' : ''}${p.default ? `, default \`${p.default}\`` : ''}` : s ? `Secret **${s.name}** — ${s.description ?? 'from the secret store'}` : 'Not declared in the Parameters table.';
        return { contents: [{ value: `\`{{${m[1]}}}\`` }, { value: text }] };
      }
      return null;
    },
  });
}
