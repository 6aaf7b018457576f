/**
 * Structured JSON logs (Powertools). One root logger per process; each request gets a child carrying its request id
 * and route, so concurrent requests in the local server never share keys. Never log bodies: they hold child data.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';

let root: Logger | undefined;

export function rootLogger(): Logger {
  if (!root) {
    const level = process.env.LOG_LEVEL ?? 'INFO';
    root = new Logger({ serviceName: 'placement-forecast', logLevel: level as 'INFO' });
  }
  return root;
}

/**
 * The request's logger, made on first use: most requests log nothing, and a Powertools child logger costs more CPU to
 * make (environment reads, option merging) than a cached read costs to serve.
 */
export function requestLogger(keys: Record<string, string>): Logger {
  let child: Logger | undefined;
  const made = (): Logger => {
    child ??= rootLogger().createChild({ persistentKeys: keys });
    return child;
  };
  return new Proxy({} as Logger, {
    get(_target, prop) {
      const logger = made();
      const value: unknown = Reflect.get(logger, prop, logger);
      return typeof value === 'function' ? value.bind(logger) : value;
    },
  });
}

export type { Logger };

/**
 * Log an error nobody expected: its class and an id to quote in a support request, never its message (parsers'
 * messages can quote input, i.e. child data) and never its stack (internal paths) — unless DEBUG_STACKS=1, a
 * developer's setting that neither `npm start` nor the deployed stack sets. Returns the error id.
 */
export function logUnexpected(
  logger: Logger | undefined,
  message: string,
  err: unknown,
  keys: { requestId?: string } & Record<string, unknown> = {},
): string {
  const errorId = keys.requestId ?? randomUUID();
  const debug = process.env.DEBUG_STACKS === '1' || process.env.DEBUG_STACKS === 'true';
  const frames = debug
    ? String((err as Error)?.stack ?? '')
        .split('\n')
        .slice(1)
        .join('\n')
    : undefined;
  logger?.error(message, {
    ...keys,
    errorId,
    errorClass: (err as Error)?.name ?? typeof err,
    ...(frames ? { stack: frames } : {}),
  });
  return errorId;
}
