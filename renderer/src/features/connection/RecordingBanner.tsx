import { useRecordingStatus } from './use-recording-status';

/** A banner while passthrough calls cannot be recorded because the disk is full. */
export function RecordingBanner() {
  const status = useRecordingStatus();
  if (!status?.diskFull) return null;
  return (
    <div className="banner banner-warning" role="alert">
      The disk is full: passthrough calls are refused (HTTP 507) until there is room. Free some space on the disk of the data folder.
    </div>
  );
}
