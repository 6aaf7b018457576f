/**
 * Development auth: what Cognito and API Gateway's JWT authorizer do on AWS, in miniature. An RS256 key pair kept in
 * the data folder signs one token per role; requests are verified as the authorizer would (issuer, audience, expiry
 * — a token without `exp` is refused, as API Gateway refuses it) and handlers see the claims flattened as it passes
 * them. The tokens are handed to the dashboard at /dev/tokens, to a loopback caller on a loopback Host only.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { ROLES, type Role } from '#functions/routes';

export const LOCAL_ISSUER = 'https://placement-forecast.local/issuer';
export const LOCAL_AUDIENCE = 'placement-forecast';

export type Mint = (
  claims: JWTPayload & { sub: string },
  expiresIn?: string | number,
  signedFor?: { issuer?: string; audience?: string },
) => Promise<string>;

/** The demo tenants `npm start` sets up: two councils in one region (the first council's tokens are `tokens`). */
export const DEMO_COUNCILS = [
  { code: 'E06000031', name: 'Peterborough (demo)', datasetId: 'ds_demo' },
  { code: 'E10000003', name: 'Cambridgeshire (demo)', datasetId: 'ds_demo2' },
] as const;
export const DEMO_REGION = { id: 'demo-region', name: 'Demo region (two Eastern councils)' } as const;

export interface DevAuth {
  /** a token per role for the first demo council */
  tokens: Record<Role, string>;
  /** a token per role for each demo council, and for the demo region */
  councils: Record<string, Record<Role, string>>;
  regions: Record<string, Record<Role, string>>;
  mint: Mint;
  /** the claims as API Gateway passes them to the handler, or undefined for a token the authorizer refuses */
  verify(authorization: string | undefined): Promise<Record<string, string> | undefined>;
}

interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

async function loadOrCreateKeys(dataDir: string): Promise<KeyPair> {
  const file = join(dataDir, 'jwt-keys.json');
  if (existsSync(file)) {
    const jwks = JSON.parse(await readFile(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    return {
      privateKey: (await importJWK(jwks.privateJwk, 'RS256')) as CryptoKey,
      publicKey: (await importJWK(jwks.publicJwk, 'RS256')) as CryptoKey,
    };
  }
  const pair = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  const publicJwk = await exportJWK(pair.publicKey);
  await writeFile(file, JSON.stringify({ privateJwk, publicJwk }), { mode: 0o600 });
  return pair;
}

/** API Gateway HTTP API flattens array claims to "[a b]" and other values to strings: handlers see exactly that. */
export function gatewayClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    out[k] = Array.isArray(v)
      ? // a group name with whitespace cannot come from Cognito; flattened it would read as several groups: dropped
        `[${v
          .map(String)
          .filter((x) => !/\s/.test(x))
          .join(' ')}]`
      : typeof v === 'object' && v !== null
        ? JSON.stringify(v)
        : String(v);
  }
  return out;
}

export async function devAuth(dataDir: string): Promise<DevAuth> {
  const keys = await loadOrCreateKeys(dataDir);
  const mint: Mint = (claims, expiresIn = '30d', signedFor = {}) => {
    // a token that names neither a council nor a region belongs to the first demo council (tests mint such tokens);
    // name one as '' to mint a token with no tenant at all
    const tenanted =
      'custom:council' in claims || 'custom:region' in claims
        ? Object.fromEntries(Object.entries(claims).filter(([k, v]) => !(k.startsWith('custom:') && v === '')))
        : { ...claims, 'custom:council': DEMO_COUNCILS[0].code };
    const jwt = new SignJWT(tenanted)
      .setProtectedHeader({ alg: 'RS256', kid: 'local' })
      .setIssuer(signedFor.issuer ?? LOCAL_ISSUER)
      .setAudience(signedFor.audience ?? LOCAL_AUDIENCE)
      .setIssuedAt();
    // tests mint a token without exp (expiresIn: 0 is "no exp") to check that it is refused
    if (expiresIn !== 0) jwt.setExpirationTime(expiresIn);
    return jwt.sign(keys.privateKey);
  };
  const roleTokens = async (prefix: string, tenant: Record<string, string>): Promise<Record<Role, string>> => {
    const out = {} as Record<Role, string>;
    for (const role of ROLES)
      out[role] = await mint({
        sub: `${prefix}${role}`,
        'cognito:username': `${prefix}${role}`,
        'cognito:groups': [role],
        token_use: 'id',
        ...tenant,
      });
    return out;
  };
  const councils: Record<string, Record<Role, string>> = {};
  // the first council's users keep the subjects of the single-council tokens (dev-finance …)
  for (const [i, c] of DEMO_COUNCILS.entries())
    councils[c.code] = await roleTokens(i === 0 ? 'dev-' : `dev-${c.code}-`, { 'custom:council': c.code });
  const regions = {
    [DEMO_REGION.id]: await roleTokens(`dev-${DEMO_REGION.id}-`, { 'custom:region': DEMO_REGION.id }),
  };
  const tokens = councils[DEMO_COUNCILS[0].code]!;
  // Tokens already verified, until their exp (as API Gateway's JWT authorizer caches its keys and results): an RS256
  // check costs more CPU than serving a cached result. Bounded; oldest first out. Only valid tokens are kept.
  const verified = new Map<string, { claims: Record<string, string>; expMs: number }>();
  const verify = async (authorization: string | undefined) => {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    if (!token) return undefined;
    const hit = verified.get(token);
    if (hit) {
      if (Date.now() < hit.expMs) return { ...hit.claims };
      verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, keys.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
      });
      const claims = gatewayClaims(payload);
      verified.set(token, { claims, expMs: (payload.exp as number) * 1000 });
      if (verified.size > VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value as string);
      return claims;
    } catch {
      return undefined;
    }
  };
  return { tokens, councils, regions, mint, verify };
}

/** verified tokens kept by the local gateway (a few hundred bytes each) */
const VERIFIED_TOKENS_MAX = 1000;

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostOnly(value: string): string {
  // "localhost:3000" → "localhost"; "[::1]:3000" → "[::1]"
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(value.trim().toLowerCase());
  return m?.[1] ?? '';
}

/**
 * May this request have the development tokens? Only from a loopback address, addressed to a loopback Host (a
 * DNS-rebinding page reaches 127.0.0.1 under its own host name), and from a loopback Origin when a browser sends one.
 */
export function devTokensAllowed(req: IncomingMessage): boolean {
  if (!LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '')) return false;
  const host = req.headers.host;
  if (!host || !LOOPBACK_HOSTS.has(hostOnly(host))) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    // WHATWG URL gives "localhost", "127.0.0.1" or "[::1]"
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}
