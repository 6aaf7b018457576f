// The dashboard: plain ES modules, no build step. Talks to the API over HTTP only (js/api.js), with the bearer token
// kept for the browser session. Layout: js/format.js (numbers and text), js/api.js (the client), js/charts.js,
// js/tables.js, js/ui.js (shared pieces), js/views/*.js (one file per view), js/router.js (hash routes).
import { setAfterSignIn, wireSignIn } from './js/auth.js';
import { route } from './js/router.js';
import { $ } from './js/ui.js';

setAfterSignIn(route);
wireSignIn();
window.addEventListener('hashchange', () => {
  route();
  $('#main').focus();
});
route();
