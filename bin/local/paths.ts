/** Where the repository is, for the local runtime's files (web/, data/demo/, node_modules/tsx). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A startup problem the user can fix, reported as one line without a stack trace. */
export class StartupError extends Error {}
