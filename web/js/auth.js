// Sign in: development tokens per role on the local service, or a pasted access token.
import { API, decodeClaims, roles, setUnauthorisedHandler, TOKEN_KEY, token } from './api.js';
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
  who.innerHTML = `<span title="Roles: ${esc(rs)}"><strong>${esc(name)}</strong>${name === rs ? '' : ` <span class="hint-inv">(${esc(rs)})</span>`}</span><button type="button" class="secondary small" id="sign-out">Sign out</button>`;
  // links to pages the role cannot use are hidden (the API refuses them anyway)
  for (const a of document.querySelectorAll('[data-roles]')) {
    const need = a.dataset.roles.split(' ');
    a.closest('li').hidden = !roles().some((r) => need.includes(r));
  }
  $('#sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
  });
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
    for (const [role, t] of Object.entries(tokens)) {
      if (typeof t !== 'string') continue;
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `Sign in as ${role}`;
      b.dataset.role = role;
      b.addEventListener('click', () => signIn(t));
      buttons.append(b);
    }
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
