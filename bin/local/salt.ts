/**
 * The local runtime's data salt: the key child ids are hashed with before a dataset is stored. It is kept apart from
 * the code — in the data folder, beside dev-tokens.json, readable by its owner only — so that nobody who reads this
 * repository can reverse the stored keys by hashing every possible child id with a salt they know.
 *
 * DATA_SALT, when set, is used as it is and nothing is written. Otherwise the first start makes a random salt and keeps
 * it, and every later start reuses it. A data folder made before this existed (datasets in the store, no salt file) was
 * hashed with the public default salt: it keeps that salt — a new one would give the same child another key in the
 * next upload — and start-up says so once, with what to do about it. The salt is never changed under stored data.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC_DEFAULT_SALT } from '#functions/config';
import { StartupError } from './paths.js';

/** The salt's file in the data folder. */
export const SALT_FILE = 'data-salt';

export interface LocalSalt {
  salt: string;
  /** environment: DATA_SALT; file: the data folder's salt file; new: made now and kept; public-default: see above */
  source: 'environment' | 'file' | 'new' | 'public-default';
  /** the salt file's path (written only when source is 'new') */
  file: string;
  /** the start-up notice for a folder on the public default salt, else undefined */
  warning?: string;
}

/** shorter than this is not a salt this runtime made (43 characters) nor one anybody should choose */
const MIN_FILE_SALT = 16;

/**
 * The salt for the data folder. `holdsDatasets` is asked only when there is neither DATA_SALT nor a salt file: does the
 * store already hold datasets (made with the public default)?
 */
export async function localSalt(
  dataDir: string,
  holdsDatasets: () => Promise<boolean>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalSalt> {
  const file = join(dataDir, SALT_FILE);
  const fromEnv = env.DATA_SALT;
  if (fromEnv !== undefined && fromEnv !== '') return { salt: fromEnv, source: 'environment', file };
  let kept: string | undefined;
  try {
    kept = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (kept !== undefined) {
    const salt = kept.trim();
    if (salt.length < MIN_FILE_SALT)
      throw new StartupError(
        `${file} does not hold a salt (${MIN_FILE_SALT}+ characters): restore it from a backup — the stored datasets' child keys were made with it — or delete the whole data folder to start afresh`,
      );
    return { salt, source: 'file', file };
  }
  if (await holdsDatasets())
    return {
      salt: PUBLIC_DEFAULT_SALT,
      source: 'public-default',
      file,
      warning: `warning: ${dataDir} holds datasets whose child keys were made with the public default salt written in this repository, so anyone with the data can reverse them. To move on: delete ${dataDir} (the demo data is loaded again; upload your files again) and start again for a salt of your own, or set DATA_SALT to a secret of your own (uploads from then on use it; earlier datasets keep their keys).`,
    };
  const salt = randomBytes(32).toString('base64url');
  try {
    // 'wx': never over another start's salt made a moment ago
    await writeFile(file, `${salt}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return localSalt(dataDir, holdsDatasets, env);
    throw e;
  }
  return { salt, source: 'new', file };
}
