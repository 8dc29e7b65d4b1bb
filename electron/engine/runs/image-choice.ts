/** What a run whose sandbox image cannot be had offers instead: the local images Docker has, and where to choose one. */
import type { ImageUnavailableError, SandboxService } from '../sandbox';

/** Every place a run's image is chosen, in the order of the precedence (resolveRunPlan). */
export const IMAGE_CHOICE_PLACES =
  'for one run in the run panel (Image for this run), with jetty run --image IMAGE, or with the field "image" of a REST run or of a chat request\'s jetty block; ' +
  'for a collection or for every run in Settings → Sandbox image';

/** How many local images the message names. */
const LISTED = 10;

/** The error of a run whose image cannot be had: Docker's reason in short, the local images (newest first) and where to choose one. */
export async function imageUnavailableMessage(error: ImageUnavailableError, sandboxes: Pick<SandboxService, 'localImages'>): Promise<string> {
  const names = (await sandboxes.localImages(LISTED + 1).catch(() => [])).map((image) => image.name);
  const local =
    names.length === 0
      ? 'Docker has no local images: build or load one first (docker build, docker load)'
      : `Docker has these local images (newest first): ${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? ', …' : ''}`;
  return `${error.message}.\n${local}.\nChoose an image ${IMAGE_CHOICE_PLACES}.`;
}
