import { useId, useRef, type ComponentType } from 'react';
import type { Parameter } from '../../../../shared/runbook';
import { hostPathOfFile } from '../../api/client';

export type ParamValues = Record<string, string>;

/** What one parameter's field gets. */
export interface FieldProps {
  parameter: Parameter;
  value: string;
  onChange(v: string): void;
  inputId: string;
}

/** The values a form starts with: each parameter's default. */
export const defaultValues = (parameters: Parameter[]): ParamValues =>
  Object.fromEntries(parameters.map((p) => [p.name, p.default ?? (p.type === 'boolean' ? 'false' : '')]));

/** Required parameters without a value. */
export const missingParameters = (parameters: Parameter[], values: ParamValues): Parameter[] =>
  parameters.filter((p) => p.required && !(values[p.name] ?? '').trim());

/** Host paths typed into a file field (one per line or comma-separated). */
export const hostPaths = (value: string): string[] =>
  value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

function Field({ parameter, value, onChange, inputId }: FieldProps) {
  const common = {
    id: inputId,
    name: parameter.name,
    'data-param': parameter.name,
    'aria-required': parameter.required || undefined,
    'aria-invalid': parameter.required && !value.trim() ? true : undefined,
  };
  switch (parameter.type) {
    case 'select':
      return (
        <select {...common} className="text-input" value={value} onChange={(e) => onChange(e.target.value)}>
          {!parameter.required && <option value="">—</option>}
          {(parameter.options ?? []).map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      );
    case 'boolean':
      return <input {...common} type="checkbox" checked={value === 'true'} onChange={(e) => onChange(String(e.target.checked))} />;
    case 'file':
      return (
        <textarea
          {...common}
          className="text-input file-paths"
          rows={1}
          spellCheck={false}
          placeholder="/host/path/to/file (one per line); drop files here in the desktop app"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            const paths = [...e.dataTransfer.files].map(hostPathOfFile).filter((p): p is string => p !== null);
            if (paths.length) onChange([...hostPaths(value), ...paths].join('\n'));
          }}
        />
      );
    default:
      return (
        <input
          {...common}
          className="text-input"
          type={parameter.type === 'number' ? 'number' : parameter.type === 'password' ? 'password' : 'text'}
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
}

/** A parameter's field: `fileField` for file parameters when given, else the built-in one. */
function FieldOf({ fileField: FileField, ...props }: FieldProps & { fileField?: ComponentType<FieldProps> }) {
  return props.parameter.type === 'file' && FileField ? <FileField {...props} /> : <Field {...props} />;
}

/**
 * One field per declared parameter, defaults filled in, required ones marked. `variableOf`
 * shows how the text refers to a parameter (a runbook's `{{name}}` unless told).
 */
export function ParameterForm({
  parameters,
  values,
  onChange,
  variableOf = (name) => `{{${name}}}`,
  emptyText = 'This runbook declares no parameters.',
  fileField,
}: {
  parameters: Parameter[];
  values: ParamValues;
  onChange(values: ParamValues): void;
  variableOf?: (name: string) => string;
  emptyText?: string;
  /** Renders file parameters (the run panel's picker and uploads); a field of host paths unless given. */
  fileField?: ComponentType<FieldProps>;
}) {
  const id = useId();
  // A field may answer after an await (an upload): merge into the values as they are then.
  const latest = useRef(values);
  latest.current = values;
  if (parameters.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <div className="param-form">
      {parameters.map((p) => (
        <div key={p.name} className="param-field" data-type={p.type}>
          <label htmlFor={`${id}-${p.name}`}>
            {p.label || p.name}
            {p.required && (
              <span className="required" aria-hidden="true">
                {' '}
                *
              </span>
            )}
            <code className="param-var">{variableOf(p.name)}</code>
          </label>
          <FieldOf parameter={p} fileField={fileField} inputId={`${id}-${p.name}`} value={values[p.name] ?? ''} onChange={(v) => onChange({ ...latest.current, [p.name]: v })} />
          {p.description && <small className="muted">{p.description}</small>}
        </div>
      ))}
    </div>
  );
}
