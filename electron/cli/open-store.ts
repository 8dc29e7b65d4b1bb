import path from 'node:path';
import { resolveDataDir } from '../engine/base/data-dir';
import { openStore, type Store } from '../engine/store';

/** Opens the trajectory store of the data folder chosen by `--data-dir` / JETTY_DATA_DIR, runs `use`, closes it. */
export async function withStore<T>(dataDirFlag: string | undefined, use: (store: Store) => T | Promise<T>): Promise<T> {
  const store = openStore(path.join(resolveDataDir(dataDirFlag), 'jetty.db'));
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
