/**
 * Who is calling. API Gateway's JWT authorizer has already checked signature, issuer, audience and expiry (the local
 * server does the same with jose), so here we only read the claims it passes on and check the route's roles.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ROLES, roleAllowed, type RouteDef, type Role } from '#functions/routes';
import { Forbidden, Unauthorized } from '#functions/errors';
import { NO_TENANT, type Tenant, tenantFromClaims } from '#functions/tenancy';

export interface Principal {
  /** the token's subject: the stable user id used for ownership (creator of a scenario) */
  sub: string;
  /** a display name when the token has one */
  username: string;
  roles: Role[];
  /** the council or region the user belongs to (custom:council / custom:region); undefined: neither */
  tenant: Tenant | undefined;
}

/**
 * `cognito:groups` arrives in several shapes: a real array (tokens decoded by us), and through API Gateway HTTP API's
 * authorizer a flattened string such as "[finance viewer]" (space-separated: Cognito group names have no
 * whitespace); a JSON array string is read exactly. Group names are matched whole: a group called "viewer,finance"
 * is that one group, never viewer and finance.
 */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  const s = claim.trim();
  if (s.startsWith('[') && s.endsWith(']')) {
    // a JSON array of names starts `["` (or is `[]`); anything else is API Gateway's form (no throw-and-catch per request)
    if (!/^\[\s*("|\])/.test(s)) return s.slice(1, -1).split(/\s+/).filter(Boolean);
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // API Gateway's own "[a b]" form is not JSON
    }
    return s.slice(1, -1).split(/\s+/).filter(Boolean);
  }
  // a plain string is one group name, whatever it holds
  return s ? [s] : [];
}

export function principalFrom(event: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>): Principal | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') return undefined;
  const groups = parseGroups(claims['cognito:groups']);
  const roles = ROLES.filter((r) => groups.includes(r));
  const username = typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : claims.sub;
  return { sub: claims.sub, username, roles, tenant: tenantFromClaims(claims) };
}

/**
 * The route's rule: public routes need nothing; others a principal whose groups include an allowed role and whose
 * token names its council or region (docs/regions.md: a token that names neither is refused on every such route).
 */
export function authorize(route: RouteDef, principal: Principal | undefined): Principal | undefined {
  if (route.roles === 'public') return principal;
  if (!principal) throw new Unauthorized();
  if (!roleAllowed(route, principal.roles))
    throw new Forbidden(`this needs one of the roles: ${route.roles.join(', ')}`);
  if (!principal.tenant) throw new Forbidden(NO_TENANT);
  return principal;
}
