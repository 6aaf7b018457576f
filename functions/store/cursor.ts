/**
 * Page cursors: the position in a list, signed so that a client can hand back only a cursor this service made
 * (HMAC-SHA256 with the key functions/config.ts#cursorSecret gives: a Secrets Manager secret on AWS), and checked against the list's own key shape
 * even then. Anything else is a 400 — never a store error.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequest } from '#functions/errors';

/** at most this long: a cursor holds one key of a few short strings */
const MAX_CURSOR_CHARS = 1024;

export interface ListKey {
  pk: string;
  sk: string;
  kind: string;
  createdAt: string;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
}

/** The JSON a cursor carries, once its signature is checked; `invalid` when anything is wrong. */
function signedPayload(cursor: string, secret: string, invalid: BadRequest): unknown {
  if (cursor.length > MAX_CURSOR_CHARS) throw invalid;
  const [payload, sig, extra] = cursor.split('.');
  if (!payload || !sig || extra !== undefined) throw invalid;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
}

function signed(value: unknown, secret: string): string {
  const payload = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

export function encodeCursor(key: ListKey, secret: string): string {
  return signed({ pk: key.pk, sk: key.sk, kind: key.kind, createdAt: key.createdAt }, secret);
}

/** The key of a cursor made by encodeCursor for this kind, or 400. */
export function decodeCursor(cursor: string, kind: string, secret: string): ListKey {
  const invalid = new BadRequest('the cursor is not valid for this list');
  const k = signedPayload(cursor, secret, invalid) as Record<string, unknown>;
  const ok =
    k !== null &&
    typeof k === 'object' &&
    Object.keys(k).length === 4 &&
    k.kind === kind &&
    typeof k.pk === 'string' &&
    k.pk.startsWith(`${kind.toUpperCase()}#`) &&
    k.pk.length > kind.length + 1 &&
    k.sk === 'META' &&
    typeof k.createdAt === 'string' &&
    k.createdAt.length > 0 &&
    k.createdAt.length <= 40;
  if (!ok) throw invalid;
  return k as unknown as ListKey;
}

/**
 * A position in a list the service holds whole (a region's councils, in rota order): the index of the next item,
 * signed like a key cursor and bound to the list it was made for (`list`, e.g. "region:eastern").
 */
export function encodePositionCursor(list: string, position: number, secret: string): string {
  return signed({ list, position }, secret);
}

/** The position of a cursor made by encodePositionCursor for this list, inside 1..length-1; else 400. */
export function decodePositionCursor(cursor: string, list: string, length: number, secret: string): number {
  const invalid = new BadRequest('the cursor is not valid for this list');
  const k = signedPayload(cursor, secret, invalid) as { list?: unknown; position?: unknown } | null;
  if (k === null || typeof k !== 'object' || k.list !== list) throw invalid;
  const p = k.position;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p >= length) throw invalid;
  return p;
}
