import { JsonTree } from './JsonTree';
import { useArtifact, useBlobUrl, type ArtifactContent } from './load-artifact';
import { Markdown } from './Markdown';

const isMarkdown = (c: ArtifactContent) => c.mediaType === 'text/markdown' || /\.(md|markdown)$/i.test(c.path);
const isJson = (c: ArtifactContent) => /json/.test(c.mediaType) || /\.json$/i.test(c.path);

function Body({ content }: { content: ArtifactContent }) {
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
          <Body content={content} />
        </>
      )}
    </section>
  );
}
