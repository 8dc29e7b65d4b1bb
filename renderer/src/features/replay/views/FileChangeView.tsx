import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Block, Fields } from './Fields';

const lineClass = (line: string) => (line.startsWith('+') && !line.startsWith('+++') ? 'diff-add' : line.startsWith('-') && !line.startsWith('---') ? 'diff-del' : undefined);

/** A changed file: its path, the kind of change, and the diff when there is one. */
export function FileChangeView({ payload }: { payload: EventPayload<'file_change'> }) {
  return (
    <div className="file-change-view">
      <Fields rows={[['file', payload.path], ['change', payload.kind]]} />
      {payload.diff && (
        <Block>
          {payload.diff.split('\n').map((line, i) => (
            <div key={i} className={lineClass(line)}>
              {line}
            </div>
          ))}
        </Block>
      )}
    </div>
  );
}
