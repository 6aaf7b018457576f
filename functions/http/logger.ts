/**
 * Structured JSON logs (Powertools). One root logger per process; each request gets a child carrying its request id
 * and route, so concurrent requests in the local server never share keys. Never log bodies: they hold child data.
 */
import { Logger } from '@aws-lambda-powertools/logger';

let root: Logger | undefined;

export function rootLogger(): Logger {
  if (!root) {
    const level = process.env.LOG_LEVEL ?? 'INFO';
    root = new Logger({ serviceName: 'placement-forecast', logLevel: level as 'INFO' });
  }
  return root;
}

export function requestLogger(keys: Record<string, string>): Logger {
  return rootLogger().createChild({ persistentKeys: keys });
}

export type { Logger };
