// Sign in: development tokens per role on the local service, or a pasted access token.
import {
  API,
  api,
  decodeClaims,
  isRegionUser,
  roles,
  setUnauthorisedHandler,
  TOKEN_KEY,
  tenant,
  token,
} from './api.js';
import { esc } from './format.js';
import { $, view } from './ui.js';

let afterSignIn = () => {};
/** The router to run once a token is in place. */
export function setAfterSignIn(fn) {
  afterSignIn = fn;
}

export function showWho() {
  const t = token();
  const who = $('#who');
  if (!t) {
    who.innerHTML = '';
    return;
  }
  const c = decodeClaims(t);
  const name = c['cognito:username'] ?? c.sub ?? 'user';
  const rs = roles().join(', ') || 'no role';
  // short, so the header stays on one line at 1440 px: the name, its roles as a title for the curious
  who.innerHTML = `<span title="Roles: ${esc(rs)}"><strong>${esc(name)}</strong>${name.includes(rs) ? '' : ` <span class="hint-inv">(${esc(rs)})</span>`}</span><button type="button" class="secondary small" id="sign-out">Sign out</button>`;
  // links to pages the role cannot use are hidden (the API refuses them anyway); a region's users have the region only
  const regional = isRegionUser();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.tenant === 'region') continue;
    const need = a.dataset.roles?.split(' ');
    a.closest('li').hidden = regional || (need !== undefined && !roles().some((r) => need.includes(r)));
  }
  showRegionLink();
  $('#sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
  });
}

let regionLinkFor;
/** The Region link: for a region's users, and for a council's users whose council is in a region (asked once). */
async function showRegionLink() {
  const li = document.querySelector('[data-tenant="region"]')?.closest('li');
  if (!li) return;
  const t = token();
  if (regionLinkFor === t) return;
  regionLinkFor = t;
  li.hidden = true;
  if (isRegionUser()) {
    li.hidden = false;
    return;
  }
  if (!tenant().council) return;
  const page = await api('GET', '/regions?limit=1').catch(() => ({ items: [] }));
  if (token() === t) li.hidden = !(page.items ?? []).length;
}

export async function showLogin(message) {
  $('#login').hidden = false;
  view().innerHTML = message ? `<p class="error" role="alert">${esc(message)}</p>` : '';
  showWho();
  // The local service offers development tokens per role; a deployed stack does not (404), and the form remains.
  try {
    const res = await fetch(`${API}/dev/tokens`);
    if (!res.ok) return;
    const tokens = await res.json();
    const buttons = $('#role-buttons');
    buttons.innerHTML = '';
    const add = (label, role, t) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.role = role;
      b.addEventListener('click', () => signIn(t));
      buttons.append(b);
    };
    // the first council's users as "Sign in as <role>"; the other demo councils' and the regions' named after them
    const first = Object.values(tokens).find((t) => typeof t === 'string');
    const firstCouncil = first ? decodeClaims(first)['custom:council'] : undefined;
    for (const [role, t] of Object.entries(tokens)) if (typeof t === 'string') add(`Sign in as ${role}`, role, t);
    for (const [code, byRole] of Object.entries(tokens.councils ?? {}))
      if (code !== firstCouncil)
        for (const [role, t] of Object.entries(byRole)) add(`Sign in as ${role} of ${code}`, role, t);
    for (const [id, byRole] of Object.entries(tokens.regions ?? {}))
      for (const [role, t] of Object.entries(byRole)) add(`Sign in as ${role} of region ${id}`, role, t);
    $('#dev-roles').hidden = buttons.children.length === 0;
  } catch {
    // no dev login here
  }
}

export function signIn(t) {
  sessionStorage.setItem(TOKEN_KEY, t.trim());
  $('#login').hidden = true;
  showWho();
  afterSignIn();
}

export function wireSignIn() {
  setUnauthorisedHandler(showLogin);
  $('#token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const t = $('#token-input').value.trim();
    if (t) signIn(t);
  });
}
