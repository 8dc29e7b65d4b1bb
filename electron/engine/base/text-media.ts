/** Media types whose bytes are text: previewed as text, diffed, indexed for search. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-ndjson))|\+json$|\+xml$/;

export const isTextMediaType = (mediaType: string): boolean => TEXT_TYPES.test(mediaType);
