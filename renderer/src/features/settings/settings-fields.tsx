import { useEffect, useState, type ReactNode } from 'react';
import { ImageInput } from '../run/ImageField';

export function Row({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="settings-row">
      <span className="settings-label">{label}</span>
      <div className="settings-control">
        {children}
        {hint && <small className="muted">{hint}</small>}
      </div>
    </div>
  );
}

/** A text setting saved when the field loses focus or on Enter; with `images`, an image name offering those local images. */
export function TextSetting({ label, value, placeholder, onSave, hint, images }: { label: string; value: string; placeholder: string; onSave(v: string): void; hint?: ReactNode; images?: string[] }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const field = {
    'aria-label': label,
    placeholder,
    value: draft,
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onBlur: () => draft !== value && onSave(draft.trim()),
    onKeyDown: (e: { key: string }) => e.key === 'Enter' && draft !== value && onSave(draft.trim()),
  };
  return (
    <Row label={label} hint={hint}>
      {images ? <ImageInput images={images} {...field} /> : <input className="text-input" {...field} />}
    </Row>
  );
}
