import os from 'node:os';
import path from 'node:path';

/** A host path with a leading `~` or `~/…` (`~\…` on Windows) read as the home folder; any other path as it is. */
export function expandHome(hostPath: string, home: string = os.homedir()): string {
  if (hostPath === '~') return home;
  if (hostPath.startsWith('~/') || (path.sep === '\\' && hostPath.startsWith('~\\'))) return path.join(home, hostPath.slice(2));
  return hostPath;
}
