import { useId } from 'react';
import type { RunPlanChoice } from '../../../../shared/contract';
import { ImageInput, imageProblem } from './ImageField';

/** The run panel's image for this run: empty keeps the plan's (collection, Settings, environment or runbook); the local images are offered. */
export function RunImageChoice({ value, onChange, images, planned }: { value: string; onChange(v: string): void; images: string[]; planned: RunPlanChoice | null }) {
  const id = useId();
  const problem = imageProblem(value);
  const fallback = planned && !value.trim() ? `${planned.value ?? 'none'} (${planned.source})` : null;
  return (
    <section className="panel-section run-image" aria-label="Sandbox image">
      <h3 className="section-title">Sandbox image</h3>
      <div className="param-field">
        <label htmlFor={id}>Image for this run</label>
        <ImageInput id={id} images={images} aria-invalid={problem !== null} placeholder={fallback ? `as planned: ${fallback}` : 'a local image, e.g. jetty-test/base:latest'} value={value} onChange={(e) => onChange(e.target.value)} />
        {problem ? (
          <small className="field-error" role="alert">
            {problem}
          </small>
        ) : (
          <small className="muted">
            {images.length > 0 ? `${images.length} local ${images.length === 1 ? 'image' : 'images'} offered. ` : 'Docker lists no local images. '}
            Empty: the collection&apos;s image, else Settings → Sandbox image, else the runbook&apos;s snapshot.
          </small>
        )}
      </div>
    </section>
  );
}
