import { useEffect, useRef } from 'react';
import { JsonTree } from './JsonTree';
import { useArtifact, useBlobUrl, type ArtifactContent } from './load-artifact';
import { Markdown } from './Markdown';

const isMarkdown = (c: ArtifactContent) => c.mediaType === 'text/markdown' || /\.(md|markdown)$/i.test(c.path);
const isJson = (c: ArtifactContent) => /json/.test(c.mediaType) || /\.json$/i.test(c.path);

export function FileBody({ content }: { content: ArtifactContent }) {
  const url = useBlobUrl(content.encoding === 'base64' ? content : null);
  if (content.encoding === 'utf8') {
    if (isMarkdown(content)) return <Markdown text={content.content} />;
    if (isJson(content)) return <JsonTree text={content.content} />;
    return <pre className="preview-text">{content.content}</pre>;
  }
  if (!url) return null;
  if (content.mediaType.startsWith('image/')) return <img className="preview-image" src={url} alt={content.path} />;
  if (content.mediaType === 'application/pdf') return <iframe className="preview-pdf" src={url} title={content.path} />;
  return (
    <p className="muted">
      No preview for {content.mediaType}.{' '}
      <a href={url} download={content.path.split('/').pop()}>
        Download
      </a>
    </p>
  );
}

/** A file shown over the whole window, at its own size (an image at its pixels, text without the side panel's width); Escape closes it. */
export function FullSize({ content, onClose }: { content: ArtifactContent; onClose(): void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    dialog.current?.focus();
  }, []);
  return (
    <div className="quick-open-backdrop full-size-backdrop" onMouseDown={onClose}>
      <div
        ref={dialog}
        className="full-size"
        role="dialog"
        aria-modal="true"
        aria-label={`${content.path}, full size`}
        tabIndex={-1}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      >
        <header className="full-size-header">
          <code>{content.path}</code>
          <span className="spacer" />
          <button type="button" className="button button-small" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        <div className="full-size-body" data-full-size={content.path}>
          {content.truncated && <p className="notice">Showing the first 5 MiB of {content.size.toLocaleString()} bytes: Download gets it whole.</p>}
          <FileBody content={content} />
        </div>
      </div>
    </div>
  );
}

/** A preview of one artifact by its type: rendered markdown, a JSON tree, an image, a PDF, or text. */
export function ArtifactPreview({ trajectoryId, path }: { trajectoryId: string; path: string }) {
  const { content, error, loading } = useArtifact(trajectoryId, path);
  return (
    <section className="artifact-preview" aria-label={`Preview of ${path}`} data-artifact-preview={path}>
      {loading && <p className="muted">Loading {path}…</p>}
      {error && <p className="notice notice-error">{error}</p>}
      {content && (
        <>
          {content.truncated && <p className="notice">Showing the first 5 MiB of {content.size.toLocaleString()} bytes.</p>}
          <FileBody content={content} />
        </>
      )}
    </section>
  );
}
