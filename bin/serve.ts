/**
 * `npm start`: the whole service on one machine, with nothing else installed. dynalite keeps the table under .data/,
 * the demo dataset is loaded on first start, the API answers on 127.0.0.1:3000 (PORT) exactly as API Gateway with
 * its JWT authorizer would call the Lambda handlers, job processes run queued jobs with the Lambda runner's code,
 * and the dashboard (web/) is served at /. Ctrl-C drains running jobs or puts them back in the queue for the next start.
 * The parts live in bin/local/.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartupError } from './local/paths.js';
import { type LocalService, startLocalService } from './local/service.js';

export { LOCAL_AUDIENCE, LOCAL_ISSUER } from './local/auth.js';
export { type LocalService, type LocalServiceOptions, startLocalService } from './local/service.js';

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let service: LocalService;
  try {
    service = await startLocalService();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const message =
      e instanceof StartupError
        ? e.message
        : err.code === 'EADDRINUSE'
          ? `port ${process.env.PORT ?? 3000} is in use: stop what uses it, or start with PORT=<another port>`
          : `the local service could not start: ${err.message}`;
    process.stderr.write(`error: ${message}\n`);
    process.exit(1);
  }
  let signals = 0;
  const stop = () => {
    signals++;
    if (signals > 1) process.exit(130);
    process.stdout.write('\nstopping (Ctrl-C again to quit at once)…\n');
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
