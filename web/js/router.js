// Every view is a function of the hash route (#/scenarios/abc), so links and the back button work.
import { isRegionUser, token } from './api.js';
import { showLogin, showWho } from './auth.js';
import { $, clearPoll, errorBlock, view } from './ui.js';
import { commissioningView } from './views/commissioning.js';
import { compareView, comparisonView } from './views/compare.js';
import { datasetsView, datasetView } from './views/datasets.js';
import { financeView } from './views/finance.js';
import { forecastView } from './views/forecast.js';
import { newScenarioView } from './views/new-scenario.js';
import { regionView } from './views/region.js';
import { scenarioView, scenariosView } from './views/scenarios.js';
import { serviceView } from './views/service.js';
import { targetResultView, targetView } from './views/target.js';

export const ROUTES = [
  [/^#\/forecast(?:\/([^/]+))?$/, forecastView, 'forecast'],
  [/^#\/finance(?:\/([^/]+))?$/, financeView, 'finance'],
  [/^#\/commissioning(?:\/([^/]+))?$/, commissioningView, 'commissioning'],
  [/^#\/service(?:\/([^/]+))?$/, serviceView, 'service'],
  [/^#\/scenarios$/, scenariosView, 'scenarios'],
  [/^#\/scenarios\/([^/]+)$/, scenarioView, 'scenarios'],
  [/^#\/new$/, newScenarioView, 'new'],
  [/^#\/compare$/, compareView, 'compare'],
  [/^#\/comparisons\/([^/]+)$/, comparisonView, 'compare'],
  [/^#\/target(?:\/(80))?$/, targetView, 'target'],
  [/^#\/targets\/([^/]+)$/, targetResultView, 'target'],
  [/^#\/region(?:\/([^/]+))?$/, regionView, 'region'],
  [/^#\/datasets$/, datasetsView, 'datasets'],
  [/^#\/datasets\/([^/]+)$/, datasetView, 'datasets'],
];

export async function route() {
  clearPoll();
  if (!token()) {
    showLogin();
    return;
  }
  $('#login').hidden = true;
  showWho();
  // a region's users have no council records of their own: every page of theirs is the region's
  const home = isRegionUser() ? '#/region' : '#/forecast';
  let hash = location.hash || home;
  // (and the region's comparisons, which read as a council's do)
  if (isRegionUser() && !hash.startsWith('#/region') && !hash.startsWith('#/comparisons/')) {
    hash = home;
    history.replaceState(null, '', home);
  }
  const match = ROUTES.find(([re]) => re.test(hash)) ?? ROUTES[0];
  const [re, fn, nav] = match;
  document
    .querySelectorAll('[data-nav]')
    .forEach((a) =>
      a.dataset.nav === nav ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current'),
    );
  const args = (re.exec(hash) ?? []).slice(1).map((a) => (a === undefined ? undefined : decodeURIComponent(a)));
  try {
    await fn(...args);
  } catch (e) {
    if (e?.status !== 401) view().innerHTML = errorBlock(e);
  }
}
