import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

/** Markdown rendered to HTML and sanitised (no scripts, handlers or remote loads survive). */
export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => {
    const raw = marked.parse(text, { async: false, gfm: true });
    return DOMPurify.sanitize(raw, { FORBID_TAGS: ['style', 'form', 'input'], FORBID_ATTR: ['style'] });
  }, [text]);
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
