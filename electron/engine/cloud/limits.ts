/**
 * Every bound the cloud client puts on a remote Jetty, in one place. A remote (the cloud,
 * a team's `jetty serve`, or whatever answers at JETTY_API_URL) is a party that may lie,
 * be slow or be broken: nothing it sends may take more memory, time or disk than these.
 */
export const CLOUD_LIMITS = {
  /**
   * One JSON answer (a list page, one page of a trajectory's events). It is read whole and
   * parsed in one go: 16 MiB parses in well under 100 ms, so the event loop never stalls
   * for long, and a page of 100 trajectory headers or of `eventsPerPage` events fits many
   * times over. A remote that sends more is refused, not read.
   */
  answerBytes: 16 * 1024 * 1024,
  /** An error body: only its message is shown, and the first 64 KiB holds any real one. */
  errorBodyBytes: 64 * 1024,
  /** One server-sent event of a remote run's live stream (the chunks are small; a frame without end is refused). */
  sseFrameBytes: 1024 * 1024,
  /** Events asked for per request: ~300 bytes each, so a page is ~300 KB and stored in one short transaction. */
  eventsPerPage: 1000,
  /** Trajectories asked for per list page (the remote's own cap is 200). */
  listPageSize: 100,
  /** The most trajectories one pull lists (pages past this are not asked for). */
  maxTrajectories: 100_000,
  /** The most events one trajectory may have when pulled (1,000 pages); a remote claiming more is refused. */
  maxEventsPerTrajectory: 1_000_000,
  /** The largest artifact pulled, whatever the remote declares (a larger declared size fails that trajectory). */
  artifactBytes: 2 * 1024 * 1024 * 1024,
  /**
   * Per request: the most time to the response headers and between two chunks of its body.
   * A remote that stops sending for this long is cut off (`offline`, retried later).
   */
  idleMs: 30_000,
  /**
   * The most one JSON answer may take in all, however steadily it trickles in (a slow-loris
   * remote under the idle timeout): deploys, runs and labels end here; a pull has its own deadline too.
   */
  requestMs: 5 * 60_000,
  /**
   * A whole `jetty pull`: a remote that trickles bytes just fast enough to dodge the idle
   * timeout still ends here. What was stored stays; pulling again resumes.
   */
  pullDeadlineMs: 60 * 60_000,
  /** Trajectories fetched at once during a pull. */
  pullConcurrency: 8,
} as const;

export type CloudLimits = { -readonly [K in keyof typeof CLOUD_LIMITS]: number };
