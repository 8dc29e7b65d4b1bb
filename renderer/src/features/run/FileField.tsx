import { useRef, useState, type DragEvent } from 'react';
import './run-inputs.css';
import type { FieldProps } from './ParameterForm';
import { accepts, fileChoices, fileValue } from './file-choices';
import { chooseFile } from './upload-file';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A file parameter: a picker (`accept` from the manifest) and a drop zone, in the browser
 * (the bytes are uploaded) and in the desktop app (host paths) alike. The chosen files are
 * listed, each removable; files of a type the parameter does not accept are refused here.
 */
export function FileField({ parameter, value, onChange, inputId }: FieldProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const [uploading, setUploading] = useState(0);
  const [over, setOver] = useState(false);
  const latest = useRef(value);
  latest.current = value;
  const chosen = fileChoices(value);

  async function add(files: File[]) {
    const refused = files.filter((f) => !accepts(parameter.accept, f));
    const fitting = files.filter((f) => accepts(parameter.accept, f)).slice(0, parameter.multiple ? undefined : 1);
    setProblem(refused.length ? `${refused.map((f) => f.name).join(', ')}: not accepted here (${parameter.label || parameter.name} takes ${parameter.accept}).` : null);
    if (fitting.length === 0) return;
    setUploading((n) => n + 1);
    try {
      const added = await Promise.all(fitting.map(chooseFile));
      onChange(fileValue([...(parameter.multiple ? fileChoices(latest.current) : []), ...added]));
    } catch (err) {
      setProblem(messageOf(err));
    } finally {
      setUploading((n) => n - 1);
    }
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    void add([...e.dataTransfer.files]);
  };

  return (
    <div
      className={`file-field${over ? ' file-field-over' : ''}`}
      data-param-files={parameter.name}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="file-field-row">
        <input
          id={inputId}
          data-param={parameter.name}
          type="file"
          className="file-input"
          accept={parameter.accept}
          multiple={parameter.multiple}
          aria-required={parameter.required || undefined}
          aria-invalid={parameter.required && chosen.length === 0 ? true : undefined}
          onChange={(e) => {
            void add([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <span className="muted small">{uploading > 0 ? 'Uploading…' : `or drop ${parameter.multiple ? 'files' : 'a file'} here${parameter.accept ? ` (${parameter.accept})` : ''}`}</span>
      </div>
      {chosen.length > 0 && (
        <ul className="file-chips" aria-label={`Files for ${parameter.label || parameter.name}`}>
          {chosen.map((c, i) => (
            <li key={`${c.name}-${i}`} className="file-chip" data-file={c.name} title={c.kind === 'host' ? c.path : `uploaded (${c.id})`}>
              <code>{c.name}</code>
              <button type="button" className="link-button" aria-label={`Remove ${c.name}`} onClick={() => onChange(fileValue(chosen.filter((_, j) => j !== i)))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p className="notice notice-error file-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
