/**
 * Typed errors: handlers and the store throw these; `errorResponse` in ./http/handler.ts is the one place that turns them into
 * status codes and bodies. Messages here are shown to clients, so they never carry child data or internals.
 */

/** One problem with a request: a field path for JSON, or file/row/column for an uploaded table. */
export interface Issue {
  path?: string;
  file?: string;
  row?: number | null;
  column?: string | null;
  code: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  abstract readonly error: string;
  /** extra fields for the response body */
  details(): Record<string, unknown> {
    return {};
  }
}

export class BadRequest extends AppError {
  readonly statusCode = 400;
  readonly error = 'BadRequest';
}

/**
 * A JSON body with a field named `__proto__`, `constructor` or `prototype` (functions/http/handler.ts,
 * `FORBIDDEN_KEYS`): a 400 naming where it is (`body.scenario.__proto__`), with that path as the one issue.
 */
export class ForbiddenField extends AppError {
  readonly statusCode = 400;
  readonly error = 'BadRequest';
  constructor(readonly path: string) {
    const name = path.slice(path.lastIndexOf('.') + 1);
    super(
      `the body has a field named "${name}" at ${path}: "__proto__", "constructor" and "prototype" are not accepted as field names; remove it`,
    );
  }
  override details(): Record<string, unknown> {
    return { issues: [{ path: this.path, code: 'forbidden_field', message: this.message }] };
  }
}

export class Unauthorized extends AppError {
  readonly statusCode = 401;
  readonly error = 'Unauthorized';
  constructor(message = 'a valid bearer token is required') {
    super(message);
  }
}

export class Forbidden extends AppError {
  readonly statusCode = 403;
  readonly error = 'Forbidden';
  constructor(message = 'your role does not allow this') {
    super(message);
  }
}

export class NotFound extends AppError {
  readonly statusCode = 404;
  readonly error = 'NotFound';
}

export class Conflict extends AppError {
  readonly statusCode = 409;
  readonly error = 'Conflict';
}

/** What the request would act on existed once and was deleted (a replayed Idempotency-Key whose record went). */
export class Gone extends AppError {
  readonly statusCode = 410;
  readonly error = 'Gone';
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
  override details(): Record<string, unknown> {
    return this.extra;
  }
}

export class PayloadTooLarge extends AppError {
  readonly statusCode = 413;
  readonly error = 'PayloadTooLarge';
}

/** A body the service cannot read as sent (compressed): 415 naming what to change. */
export class UnsupportedMediaType extends AppError {
  readonly statusCode = 415;
  readonly error = 'UnsupportedMediaType';
}

export class InvalidInput extends AppError {
  readonly statusCode = 422;
  readonly error = 'InvalidInput';
  constructor(
    readonly issues: Issue[],
    message = 'the request is not valid',
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
  override details(): Record<string, unknown> {
    return { ...this.extra, issues: this.issues };
  }
}

/** Query parameters that are not valid: a 400 with the list of issues, each naming its parameter. */
export class InvalidQuery extends AppError {
  readonly statusCode = 400;
  readonly error = 'BadRequest';
  constructor(readonly issues: Issue[]) {
    super(`the query parameters are not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/** The store could not be reached or refused: a 503 so clients and API Gateway know a retry may work. */
export class Unavailable extends AppError {
  readonly statusCode = 503;
  readonly error = 'Unavailable';
}

/** A network failure talking to the store (SDK errors wrap the socket error in `cause`). */
export function isStoreUnreachable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; $metadata?: unknown; cause?: unknown } | undefined;
  if (!e) return false;
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'];
  if (e.code && codes.includes(e.code)) return true;
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout') return true;
  return e.cause !== undefined && e.cause !== err ? isStoreUnreachable(e.cause) : false;
}
