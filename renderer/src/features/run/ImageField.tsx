import { useId, type InputHTMLAttributes } from 'react';
import { ImageNameSchema } from '../../../../shared/contract';

/** Why `value` is not an image name, or null ('' is no choice, and fine). */
export function imageProblem(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const parsed = ImageNameSchema.safeParse(trimmed);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not an image name');
}

/** A text field for a Docker image name that offers the local images as choices (a datalist). */
export function ImageInput({ images, ...input }: { images: string[] } & Omit<InputHTMLAttributes<HTMLInputElement>, 'list'>) {
  const listId = useId();
  return (
    <>
      <input className="text-input" spellCheck={false} autoComplete="off" {...input} list={listId} />
      <datalist id={listId} data-local-images={images.length}>
        {images.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </>
  );
}
