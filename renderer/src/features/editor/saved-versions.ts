/** The version of each model's text last written to (or read from) disk, to tell whether it is dirty. */
export const savedVersions = new Map<string, number>();
