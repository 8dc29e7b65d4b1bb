import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useView } from '../../stores/view';
import { importFile } from './transfer';

/** Import from a file picker or a file dropped anywhere on `children`; opens the imported trajectory. */
export function ImportDropZone({ children }: { children: ReactNode }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const show = useView((s) => s.show);

  const take = async (file: File | undefined) => {
    if (!file) return;
    try {
      const id = await importFile(file);
      setError(null);
      show({ name: 'replay', id });
    } catch (err) {
      setError(`Could not import ${file.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };

  return (
    <div
      className={`drop-zone${over ? ' is-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="import-bar">
        <button type="button" className="button" onClick={() => input.current?.click()}>
          Import…
        </button>
        <span className="muted small">or drop an exported trajectory (a cloud trajectory.json, or an ATIF trajectory.json) here</span>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Import trajectory file"
          data-testid="import-file"
          onChange={(e) => {
            void take(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {children}
    </div>
  );
}
