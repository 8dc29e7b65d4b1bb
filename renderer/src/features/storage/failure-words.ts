import type { StorageFailure } from '../../../../shared/storage';

/** What each storage failure means, in plain words (the server's own text is shown beside it). */
export const FAILURE_WORDS: Record<StorageFailure, string> = {
  bad_credentials: 'The access key or secret is wrong, expired, or not allowed to use this bucket.',
  no_bucket: 'The bucket does not exist (or belongs to another account or region).',
  no_network: 'The storage endpoint could not be reached: check the endpoint URL and the network.',
  clock_skew: "This computer's clock is too far from the server's: correct the system time.",
  not_found: 'The object was not found.',
  refused: 'The storage server refused the request.',
};
