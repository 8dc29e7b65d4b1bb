import { z } from 'zod';

/**
 * A Docker image reference a run may use instead of its runbook's snapshot (`jetty-test/base:latest`,
 * `ghcr.io/acme/tools:1.2`, `name@sha256:…`): no spaces, no option-like leading `-`.
 */
export const ImageNameSchema = z
  .string()
  .max(256, 'an image name is at most 256 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/, 'an image name such as jetty-test/base:latest (letters, digits and . _ / : @ -)');
