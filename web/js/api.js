// The API client: bearer token kept for the browser session, JSON in and out, errors as ApiError.

export const API = window.PLACEMENT_API_BASE ?? '';
export const TOKEN_KEY = 'placement-forecast-token';

let onUnauthorised = () => {};
/** What to do when the API says the token is no longer good (the sign-in panel registers itself). */
export function setUnauthorisedHandler(fn) {
  onUnauthorised = fn;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `request failed (${status})`);
    this.status = status;
    this.body = body;
  }
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);

export function decodeClaims(t) {
  try {
    const part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch {
    return {};
  }
}

const ROLES = ['finance', 'commissioner', 'data-manager', 'viewer'];
/** The signed-in user's roles (from the token's groups; the API checks them again on every request). */
export function roles() {
  const t = token();
  if (!t) return [];
  const g = decodeClaims(t)['cognito:groups'];
  const groups = Array.isArray(g) ? g : String(g ?? '').split(/[,\s]+/);
  return ROLES.filter((r) => groups.includes(r));
}
/** The signed-in user's council or region (token claims; the API scopes every request to it). */
export function tenant() {
  const t = token();
  if (!t) return {};
  const c = decodeClaims(t);
  const council = typeof c['custom:council'] === 'string' ? c['custom:council'].trim() : '';
  if (council) return { council };
  const region = typeof c['custom:region'] === 'string' ? c['custom:region'].trim() : '';
  return region ? { region } : {};
}
/** The signed-in user's token subject: the creator recorded on what they start (only its creator deletes a run). */
export function subject() {
  const t = token();
  return t ? decodeClaims(t).sub : undefined;
}
/** Did the signed-in user start this run (only its creator may delete it)? */
export const madeByMe = (record) => record?.createdBy !== undefined && record.createdBy === subject();
/** Is the user one of a region's users (rather than a council's)? */
export const isRegionUser = () => tenant().region !== undefined;

/** May the user do something that needs one of these roles? */
export const can = (...allowed) => roles().some((r) => allowed.includes(r));
export const ANALYSTS = ['finance', 'commissioner'];

export async function api(method, path, body, extraHeaders = {}) {
  const headers = { accept: 'application/json', ...extraHeaders };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] = crypto.randomUUID();
  }
  const res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    onUnauthorised('Your session has ended: sign in again.');
    throw new ApiError(401, { message: 'not signed in' });
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok)
    throw new ApiError(res.status, typeof data === 'object' ? data : { message: String(data).slice(0, 200) });
  return data;
}

export async function download(path, filename) {
  const res = await fetch(API + path, { headers: { authorization: `Bearer ${token()}` } });
  if (!res.ok) throw new ApiError(res.status, { message: `download failed (${res.status})` });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
