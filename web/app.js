// The dashboard: plain ES module, no build step. Talks to the API over HTTP only, with the bearer token kept for the
// browser session. Every view is a function of the hash route (#/scenarios/abc), so links and the back button work.

const API = window.PLACEMENT_API_BASE ?? '';
const TOKEN_KEY = 'placement-forecast-token';
const POLL_MS = 1000;

const $ = (sel, root = document) => root.querySelector(sel);
const view = () => $('#view');

// ---------------------------------------------------------------------------------------------------------------
// formatting

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const money = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : gbp.format(x));
const count = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : one.format(x));
const pct = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : `${Math.round(x * 100)}%`);
/** one decimal: to tell apart values either side of a goal that round to the same whole percent */
const pct1 = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);
const shortMoney = (v) => {
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(a >= 1e7 ? 0 : 1).replace(/\.0$/, '')}m`;
  if (a >= 1e3) return `${sign}£${Math.round(a / 1e3)}k`;
  return `${sign}£${Math.round(a)}`;
};

/** Round tick values (1, 2 or 5 × a power of ten) from 0 to at least max. */
function niceTicks(max, count = 5) {
  const raw = Math.max(max, 1e-9) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * pow).find((k) => k >= raw) ?? 10 * pow;
  const ticks = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(v);
  return ticks;
}

/** Millions with two decimals: ranges under a figure stay on one line. */
const compactMoney = (v) => {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  return a >= 1e6 ? `${sign}£${(a / 1e6).toFixed(2)}m` : `${sign}£${Math.round(a / 1e3)}k`;
};

function esc(s) {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

const LABELS = {
  inHouseFoster: 'In-house fostering',
  agencyFoster: 'Agency fostering',
  kinship: 'Kinship',
  residential: 'Residential',
  supported: 'Supported living',
  withParents: 'With parents',
  placedForAdoption: 'Placed for adoption',
  secure: 'Secure',
  other: 'Other',
  total: 'All children',
};

// ---------------------------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `request failed (${status})`);
    this.status = status;
    this.body = body;
  }
}

const token = () => sessionStorage.getItem(TOKEN_KEY);

async function api(method, path, body, extraHeaders = {}) {
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
    showLogin('Your session has ended: sign in again.');
    throw new ApiError(401, { message: 'not signed in' });
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok)
    throw new ApiError(res.status, typeof data === 'object' ? data : { message: String(data).slice(0, 200) });
  return data;
}

async function download(path, filename) {
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

function errorBlock(e) {
  const issues = e?.body?.issues;
  const list =
    Array.isArray(issues) && issues.length
      ? `<ul class="issues">${issues
          .slice(0, 20)
          .map(
            (i) =>
              `<li><code>${esc(i.path ?? [i.file, i.row, i.column].filter(Boolean).join(' '))}</code>: ${esc(i.message)}</li>`,
          )
          .join('')}</ul>`
      : '';
  return `<div role="alert"><p class="error">${esc(e?.message ?? e)}</p>${list}</div>`;
}

/**
 * Wires a form that starts a job: its submit button is off while the request is under way, an error is shown in
 * `outSelector`, and the page moves to the hash `create(form)` returns (nothing: stay, e.g. after a message).
 */
function onCreate(formSelector, outSelector, create) {
  $(formSelector).addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const hash = await create(form);
      if (hash) location.hash = hash;
    } catch (e) {
      $(outSelector).innerHTML = errorBlock(e);
    } finally {
      button.disabled = false;
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// sign in

function decodeClaims(t) {
  try {
    const part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch {
    return {};
  }
}

function showWho() {
  const t = token();
  const who = $('#who');
  if (!t) {
    who.innerHTML = '';
    return;
  }
  const c = decodeClaims(t);
  const groups = Array.isArray(c['cognito:groups'])
    ? c['cognito:groups'].join(', ')
    : String(c['cognito:groups'] ?? '');
  who.innerHTML = `<span>Signed in as <strong>${esc(c['cognito:username'] ?? c.sub ?? 'user')}</strong> (${esc(groups)})</span><button type="button" class="secondary" id="sign-out">Sign out</button>`;
  $('#sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
  });
}

async function showLogin(message) {
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

function signIn(t) {
  sessionStorage.setItem(TOKEN_KEY, t.trim());
  $('#login').hidden = true;
  showWho();
  route();
}

$('#token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const t = $('#token-input').value.trim();
  if (t) signIn(t);
});

// ---------------------------------------------------------------------------------------------------------------
// charts drawn here (forecasts, comparisons, goal-seek curves); scenario charts come from the API as SVG

const SVG_NS = 'http://www.w3.org/2000/svg';

function fanChart({ title, labels, bands, budget, moneyAxis, yLabel }) {
  const W = 760,
    H = 380,
    m = { t: 40, r: 20, b: 52, l: 84 };
  const n = labels.length;
  const ticks = niceTicks(
    Math.max(1, ...bands.p90, ...(budget ?? []).filter((b) => b !== undefined && b !== null)) * 1.05,
  );
  const ymax = ticks[ticks.length - 1];
  const x = (i) => m.l + (n <= 1 ? 0 : (i * (W - m.l - m.r)) / (n - 1));
  const y = (v) => H - m.b - (v / ymax) * (H - m.t - m.b);
  const area = (lo, hi) =>
    `M${labels.map((_, i) => `${x(i)},${y(hi[i])}`).join('L')}L${labels.map((_, i) => `${x(n - 1 - i)},${y(lo[n - 1 - i])}`).join('L')}Z`;
  const lineD = (vals) => `M${vals.map((v, i) => `${x(i)},${y(v)}`).join('L')}`;
  const fmt = moneyAxis ? shortMoney : (v) => int.format(v);
  const every = Math.max(1, Math.ceil(n / 6));
  const budgetPts = (budget ?? []).map((b, i) => (b === undefined || b === null ? null : [i, b])).filter(Boolean);
  return `<svg xmlns="${SVG_NS}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">
    <title>${esc(title)}</title>
    <text x="${m.l}" y="22" font-size="20" font-weight="bold">${esc(title)}</text>
    ${ticks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/><text x="${m.l - 6}" y="${y(t) + 5}" text-anchor="end" font-size="15" fill="#333">${esc(fmt(t))}</text>`).join('')}
    ${labels.map((l, i) => (i % every === 0 || (i === n - 1 && i % every >= every * 0.75) ? `<text x="${x(i)}" y="${H - m.b + 20}" text-anchor="middle" font-size="15" fill="#333">${esc(l)}</text>` : '')).join('')}
    <text transform="translate(16 ${(H - m.b + m.t) / 2}) rotate(-90)" text-anchor="middle" font-size="15" fill="#333">${esc(yLabel ?? '')}</text>
    <path d="${area(bands.p10, bands.p90)}" fill="#9ecae1" fill-opacity=".7"/>
    <path d="${area(bands.p25, bands.p75)}" fill="#4292c6" fill-opacity=".7"/>
    <path d="${lineD(bands.p50)}" fill="none" stroke="#08306b" stroke-width="2"/>
    ${budgetPts.length ? `<path d="M${budgetPts.map(([i, b]) => `${x(i)},${y(b)}`).join('L')}" fill="none" stroke="#b30000" stroke-width="2" stroke-dasharray="6 4"/>` : ''}
    ${budgetPts.map(([i, b]) => `<circle cx="${x(i)}" cy="${y(b)}" r="3" fill="#b30000"/>`).join('')}
  </svg>`;
}

/** Saving against the base by variant: the mean and the P10–P90 range of the paired difference. */
function savingChart(summary) {
  const vs = summary.variants.filter((v) => v.saving);
  const W = 760,
    H = 340,
    m = { t: 36, r: 16, b: 64, l: 80 };
  if (vs.length === 0) return '';
  const lo0 = Math.min(0, ...vs.map((v) => v.saving.horizon.p10));
  const hi0 = Math.max(0, ...vs.map((v) => v.saving.horizon.p90));
  const tickStep = niceTicks(hi0 - lo0 || 1, 5)[1];
  const lo = Math.floor(lo0 / tickStep) * tickStep;
  const hi = Math.ceil(hi0 / tickStep) * tickStep;
  const span = hi - lo || 1;
  const y = (v) => H - m.b - ((v - lo) / span) * (H - m.t - m.b);
  const step = (W - m.l - m.r) / vs.length;
  const x = (i) => m.l + step * (i + 0.5);
  const ticks = [];
  for (let t = lo; t <= hi + tickStep / 2; t += tickStep) ticks.push(t);
  return `<svg xmlns="${SVG_NS}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Saving against the base over the forecast, by variant" data-testid="comparison-chart">
    <title>Saving against the base over the forecast, by variant</title>
    <text x="${m.l}" y="20" font-size="18" font-weight="bold">Saving against the base, whole forecast (mean, P10–P90)</text>
    ${ticks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/><text x="${m.l - 6}" y="${y(t) + 4}" text-anchor="end" font-size="14" fill="#444">${esc(shortMoney(t))}</text>`).join('')}
    <line x1="${m.l}" x2="${W - m.r}" y1="${y(0)}" y2="${y(0)}" stroke="#444"/>
    ${vs
      .map((v, i) => {
        const s = v.saving.horizon;
        const top = y(Math.max(0, s.mean));
        const h = Math.abs(y(s.mean) - y(0));
        return `<g class="bar"><rect x="${x(i) - step * 0.3}" y="${top}" width="${step * 0.6}" height="${Math.max(1, h)}" fill="${s.mean >= 0 ? '#4292c6' : '#d6604d'}"/>
        <line x1="${x(i)}" x2="${x(i)}" y1="${y(s.p10)}" y2="${y(s.p90)}" stroke="#08306b" stroke-width="2"/>
        <line x1="${x(i) - 6}" x2="${x(i) + 6}" y1="${y(s.p10)}" y2="${y(s.p10)}" stroke="#08306b" stroke-width="2"/>
        <line x1="${x(i) - 6}" x2="${x(i) + 6}" y1="${y(s.p90)}" y2="${y(s.p90)}" stroke="#08306b" stroke-width="2"/>
        <text x="${x(i)}" y="${H - m.b + 16}" text-anchor="middle" font-size="14" fill="#222">${esc(v.value ?? v.name)}</text></g>`;
      })
      .join('')}
  </svg>`;
}

function curveChart(answer, goal) {
  const pts = answer.curve;
  const W = 760,
    H = 320,
    m = { t: 36, r: 16, b: 48, l: 80 };
  const xs = pts.map((p) => p.value),
    ys = pts.map((p) => p.metric);
  const x0 = Math.min(...xs),
    x1 = Math.max(...xs) || 1;
  const ymax = Math.max(goal.atMost, ...ys) * 1.1 || 1;
  const x = (v) => m.l + ((v - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const y = (v) => H - m.b - (v / ymax) * (H - m.t - m.b);
  const fmt = goal.metric === 'pOverBudget' ? pct : goal.metric === 'cost' ? shortMoney : (v) => one.format(v);
  return `<svg xmlns="${SVG_NS}" viewBox="0 0 ${W} ${H}" role="img" aria-label="The goal's measure at each value tried">
    <title>The goal's measure at each value tried</title>
    ${[0, 0.5, 1].map((k) => `<text x="${m.l - 6}" y="${y(k * ymax) + 4}" text-anchor="end" font-size="14">${esc(fmt(k * ymax))}</text><line x1="${m.l}" x2="${W - m.r}" y1="${y(k * ymax)}" y2="${y(k * ymax)}" stroke="#e5e5e5"/>`).join('')}
    <line x1="${m.l}" x2="${W - m.r}" y1="${y(goal.atMost)}" y2="${y(goal.atMost)}" stroke="#b30000" stroke-dasharray="6 4" stroke-width="2"/>
    <path d="M${pts.map((p) => `${x(p.value)},${y(p.metric)}`).join('L')}" fill="none" stroke="#08306b" stroke-width="2"/>
    ${pts.map((p) => `<circle cx="${x(p.value)}" cy="${y(p.metric)}" r="4" fill="${p.meets ? '#1d6b2e' : '#08306b'}"/><text x="${x(p.value)}" y="${H - m.b + 16}" text-anchor="middle" font-size="14">${esc(p.value)}</text>`).join('')}
  </svg>`;
}

// ---------------------------------------------------------------------------------------------------------------
// pieces shared by views

/** Tell screen-reader users about a change of status once, not every poll. */
function announce(text) {
  const el = $('#announce');
  if (el && el.textContent !== text) el.textContent = text;
}

function statusBadge(s) {
  return `<span class="status ${esc(s)}">${esc(s)}</span>`;
}

function costTable(years, caption = 'Cost by financial year') {
  return `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">Financial year</th><th scope="col">P10</th><th scope="col">P50</th><th scope="col">P90</th><th scope="col">Budget</th><th scope="col">Chance over budget</th></tr></thead><tbody>
    ${years.map((f) => `<tr><th scope="row">${esc(f.label)}${f.partial ? ` <span class="hint">(${f.months} months)</span>` : ''}</th><td>${money(f.p10)}</td><td>${money(f.p50)}</td><td>${money(f.p90)}</td><td>${money(f.budget)}</td><td>${pct(f.pOverBudget)}</td></tr>`).join('')}
  </tbody></table>`;
}

function horizonTable(result) {
  const last = result.months.length - 1;
  const keys = Object.keys(LABELS).filter((k) => result.population[k]);
  return `<table><caption>Children in care at ${esc(result.months[last])} (P50, with P10–P90)</caption><thead><tr><th scope="col">Placement</th><th scope="col">P50</th><th scope="col">P10–P90</th></tr></thead><tbody>
    ${keys
      .map((k) => {
        const q = result.population[k];
        return `<tr><th scope="row">${esc(LABELS[k])}</th><td>${count(q.p50[last])}</td><td>${count(q.p10[last])}–${count(q.p90[last])}</td></tr>`;
      })
      .join('')}
  </tbody></table>`;
}

function clientCharts(result) {
  const years = result.cost.financialYears;
  return `<div class="charts">
    <div class="chart">${fanChart({ title: 'All children in care', labels: result.months, bands: result.population.total, yLabel: 'children' })}</div>
    <div class="chart">${fanChart({ title: 'Residential', labels: result.months, bands: result.population.residential, yLabel: 'children' })}</div>
    <div class="chart">${fanChart({ title: 'Cost by financial year', labels: years.map((f) => f.label), bands: { p10: years.map((f) => f.p10), p25: years.map((f) => f.p25), p50: years.map((f) => f.p50), p75: years.map((f) => f.p75), p90: years.map((f) => f.p90) }, budget: years.map((f) => f.budget), moneyAxis: true, yLabel: '£ per year' })}</div>
  </div>`;
}

let pollTimer;
function poll(fn) {
  clearTimeout(pollTimer);
  const tick = async () => {
    const again = await fn().catch((e) => {
      view().insertAdjacentHTML('beforeend', errorBlock(e));
      return false;
    });
    if (again) pollTimer = setTimeout(tick, POLL_MS);
  };
  tick();
}

async function newestDatasetId() {
  const page = await api('GET', '/datasets?limit=1');
  const items = page.items ?? page;
  return items?.[0]?.id;
}

function numberOrUndefined(form, name) {
  const v = form.elements[name]?.value?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// views

async function forecastView() {
  view().innerHTML = '<h2>Latest monthly forecast</h2><p>Loading…</p>';
  const page = await api('GET', '/forecasts');
  const items = page.items ?? page;
  if (!items?.length) {
    view().innerHTML =
      '<h2>Latest monthly forecast</h2><p>No monthly forecast has been made yet. A data manager can run one now; meanwhile, <a href="#/new">run a scenario</a>.</p>';
    return;
  }
  const latest = items[0];
  const f = await api('GET', `/forecasts/${encodeURIComponent(latest.month ?? latest.id)}`);
  const result = f.result;
  let html = `<h2>Latest monthly forecast: ${esc(f.month ?? latest.month)}</h2><p>Status ${statusBadge(f.status)}${f.dataEnd ? ` · data to ${esc(f.dataEnd)}` : ''}${f.runs ? ` · ${int.format(f.runs)} runs` : ''}</p>`;
  if (f.accuracy)
    html += `<p>Accuracy of this forecast so far: ${pct(f.accuracy.coverage)} of actual figures fell inside P10–P90 (${f.accuracy.monthsCovered?.length ?? 0} months covered).</p>`;
  if (result) html += clientCharts(result) + costTable(result.cost.financialYears) + horizonTable(result);
  view().innerHTML = html;
}

async function scenariosView() {
  view().innerHTML = '<h2>Scenarios</h2><p>Loading…</p>';
  const page = await api('GET', '/scenarios?limit=50');
  const items = page.items ?? [];
  view().innerHTML = `<h2>Scenarios</h2><p><a href="#/new">Run a new scenario</a></p>
    <table><caption>Newest first</caption><thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Runs</th><th scope="col">Start</th><th scope="col">Created</th></tr></thead><tbody>
    ${items.length === 0 ? '<tr><td colspan="5">No scenarios yet: <a href="#/new">run one</a>.</td></tr>' : ''}
    ${items.map((s) => `<tr><th scope="row"><a href="#/scenarios/${encodeURIComponent(s.id)}">${esc(s.name ?? s.id)}</a></th><td>${statusBadge(s.status)}${s.status === 'running' ? ` ${s.progress ?? 0}%` : ''}</td><td>${int.format(s.runs ?? 0)}</td><td>${esc(s.start ?? '')}</td><td>${esc((s.createdAt ?? '').slice(0, 16).replace('T', ' '))}</td></tr>`).join('')}
    </tbody></table>`;
}

async function serverChart(id, series) {
  const res = await fetch(`${API}/scenarios/${encodeURIComponent(id)}/chart.svg?series=${series}`, {
    headers: { authorization: `Bearer ${token()}` },
  });
  if (!res.ok) return `<p class="error">chart unavailable (${res.status})</p>`;
  const doc = new DOMParser().parseFromString(await res.text(), 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg') return '<p class="error">chart unreadable</p>';
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  return new XMLSerializer().serializeToString(svg);
}

async function scenarioView(id) {
  view().innerHTML = '<h2>Scenario</h2><p>Loading…</p>';
  poll(async () => {
    const s = await api('GET', `/scenarios/${encodeURIComponent(id)}`);
    const name = s.name ?? s.scenario?.name ?? id;
    announce(`Scenario ${name}: ${s.status}`);
    if (s.status !== 'complete') {
      view().innerHTML = `<h2>${esc(name)}</h2><p>Status ${statusBadge(s.status)} ${s.status === 'running' || s.status === 'queued' ? `<progress max="100" value="${s.progress ?? 0}" aria-label="progress">${s.progress ?? 0}%</progress> ${s.progress ?? 0}%` : ''}</p>${s.reason ? `<p class="error">${esc(s.reason)}</p>` : ''}`;
      return s.status === 'queued' || s.status === 'running';
    }
    const result = s.result;
    const charts = await Promise.all(['total', 'residential', 'agencyFoster', 'cost'].map((k) => serverChart(id, k)));
    view().innerHTML = `<h2>${esc(name)}</h2><p>Status ${statusBadge(s.status)} · ${int.format(result.runs)} runs · ${esc(result.months[0])} to ${esc(result.months[result.months.length - 1])}</p>
      <div class="downloads">
        <button type="button" data-dl="xlsx">Download Excel</button>
        <button type="button" class="secondary" data-dl="csv">Download CSV</button>
        <button type="button" class="secondary" data-dl="svg">Download cost chart (SVG)</button>
      </div>
      <div class="charts">${charts.map((c) => `<div class="chart">${c}</div>`).join('')}</div>
      <div class="form"><label for="series-pick">Fan chart of another placement category</label>
        <select id="series-pick">${Object.entries(LABELS)
          .map(([k, l]) => `<option value="${k}"${k === 'kinship' ? ' selected' : ''}>${esc(l)}</option>`)
          .join('')}</select></div>
      <div class="chart" id="series-chart">${await serverChart(id, 'kinship')}</div>
      ${costTable(result.cost.financialYears)}${horizonTable(result)}
      ${result.warnings?.length ? `<h3>Warnings</h3><ul>${result.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}`;
    $('#series-pick').addEventListener('change', async (ev) => {
      $('#series-chart').innerHTML = await serverChart(id, ev.target.value);
    });
    view()
      .querySelectorAll('[data-dl]')
      .forEach((b) =>
        b.addEventListener('click', () => {
          const kind = b.dataset.dl;
          const path = kind === 'svg' ? `/scenarios/${id}/chart.svg?series=cost` : `/scenarios/${id}/export.${kind}`;
          download(path, `scenario-${id}.${kind}`).catch((e) => view().insertAdjacentHTML('beforeend', errorBlock(e)));
        }),
      );
    return false;
  });
}

const RUNS_FIELD = `<div class="field"><label for="f-runs">Monte Carlo runs <span class="hint">more runs, steadier figures</span></label><input id="f-runs" name="runs" type="number" min="100" max="20000" step="100" value="1000" required></div>`;

function newScenarioView() {
  view().innerHTML = `<h2>Run a new scenario</h2>
  <p>Starts from the newest dataset and the council's defaults; leave a field empty to keep its default.</p>
  <form class="form panel" id="new-form" novalidate>
    <div class="grid">
      <div class="field"><label for="f-name">Name</label><input id="f-name" name="name" type="text" maxlength="200" value="Budget scenario"></div>
      ${RUNS_FIELD}
      <div class="field"><label for="f-recruit">New in-house carer households per year</label><input id="f-recruit" name="recruitmentPerYear" type="number" min="0" max="200" step="1" placeholder="default"></div>
      <div class="field"><label for="f-inhouse">In-house fostering, £ per week</label><input id="f-inhouse" name="inHouseFoster" type="number" min="0" step="10" placeholder="default"></div>
      <div class="field"><label for="f-agency">Agency fostering, £ per week</label><input id="f-agency" name="agencyFoster" type="number" min="0" step="10" placeholder="default"></div>
      <div class="field"><label for="f-resi">Residential, typical £ per week</label><input id="f-resi" name="residential" type="number" min="0" step="100" placeholder="default"></div>
      <div class="field"><label for="f-budget">Placement budget, £ per year <span class="hint">the same for every year unless it rises</span></label><input id="f-budget" name="budget" type="number" min="0" step="100000" placeholder="default"></div>
      <div class="field"><label for="f-budget-rise">Budget rise per year, %</label><input id="f-budget-rise" name="budgetRise" type="number" min="-50" max="100" step="0.5" value="0"></div>
      <div class="field"><label for="f-uasc">UASC threshold, % of children aged 0–17 <span class="hint">one rate for the whole forecast (the rule: 0.07, and 0.1 from Aug 2022)</span></label><input id="f-uasc" name="uascRate" type="number" min="0" max="1" step="0.01" placeholder="default"></div>
      <div class="field"><label for="f-entries">Entries multiplier <span class="hint">1 = as estimated from the data</span></label><input id="f-entries" name="entriesMultiplier" type="number" min="0" max="5" step="0.05" placeholder="1"></div>
    </div>
    <button type="submit">Run scenario</button>
    <div id="new-out" aria-live="polite"></div>
  </form>`;
  onCreate('#new-form', '#new-out', async (form) => {
    const datasetId = await newestDatasetId();
    const overrides = { name: form.elements.name.value || 'Scenario', runs: numberOrUndefined(form, 'runs') ?? 1000 };
    const recruit = numberOrUndefined(form, 'recruitmentPerYear');
    if (recruit !== undefined) overrides.capacity = { recruitmentPerYear: recruit };
    const weekly = {};
    for (const k of ['inHouseFoster', 'agencyFoster']) {
      const v = numberOrUndefined(form, k);
      if (v !== undefined) weekly[k] = v;
    }
    const resi = numberOrUndefined(form, 'residential');
    // a typical figure with the seed paper's spread: "start at around £3,000 … £6,000 and above, typical £4,000"
    if (resi !== undefined) weekly.residential = { min: resi * 0.75, mode: resi, max: resi * 1.5 };
    if (Object.keys(weekly).length) overrides.costs = { weekly };
    const budget = numberOrUndefined(form, 'budget');
    if (budget !== undefined)
      overrides.budgets = budgetsFrom(
        budget,
        numberOrUndefined(form, 'budgetRise') ?? 0,
        await datasetStart(datasetId),
      );
    const uasc = numberOrUndefined(form, 'uascRate');
    if (uasc !== undefined) overrides.uasc = { thresholds: [{ from: '2000-01-01', rate: uasc / 100 }] };
    const mult = numberOrUndefined(form, 'entriesMultiplier');
    if (mult !== undefined) overrides.entries = { multiplier: mult };
    const created = await api('POST', '/scenarios', datasetId ? { datasetId, overrides } : overrides);
    return `#/scenarios/${encodeURIComponent(created.id)}`;
  });
}

/** The forecast starts the month after the dataset ends; budgets are set for five financial years from there. */
async function datasetStart(datasetId) {
  if (!datasetId) return undefined;
  const d = await api('GET', `/datasets/${encodeURIComponent(datasetId)}`).catch(() => undefined);
  return d?.period?.end ?? d?.summary?.period?.end;
}

function budgetsFrom(amount, risePct, dataEnd) {
  const [y, m] = (dataEnd ?? '2018-03-31').split('-').map(Number);
  // the month after the data ends; April (month 4) opens a financial year
  const startYear = m + 1 > 12 ? y + 1 : y;
  const startMonth = m + 1 > 12 ? 1 : m + 1;
  const fy = startMonth >= 4 ? startYear : startYear - 1;
  const out = {};
  for (let k = 0; k < 6; k++)
    out[`${fy + k}/${String((fy + k + 1) % 100).padStart(2, '0')}`] = Math.round(amount * (1 + risePct / 100) ** k);
  return out;
}

/** The caller's recent comparisons or target searches under their form, newest first, each a link to its result. */
async function showRecent(kind) {
  const section = document.createElement('section');
  section.id = 'recent';
  view().append(section);
  try {
    const page = await api('GET', `/${kind}?limit=10`);
    const items = page.items ?? [];
    if (items.length === 0) return;
    const isComparison = kind === 'comparisons';
    const metricName = {
      pOverBudget: 'chance over budget',
      residential: 'residential',
      agencyFoster: 'agency fostering',
      cost: 'cost',
    };
    section.innerHTML = `<table><caption>Recent ${isComparison ? 'comparisons' : 'target searches'}</caption><thead><tr><th scope="col">Created</th><th scope="col">Status</th><th scope="col">${isComparison ? 'Variants' : 'Goal'}</th><th scope="col">Runs</th></tr></thead><tbody>
      ${items
        .map(
          (c) =>
            `<tr><th scope="row"><a href="#/${kind}/${encodeURIComponent(c.id)}">${esc((c.createdAt ?? '').slice(0, 16).replace('T', ' '))}</a></th><td>${statusBadge(c.status)}</td><td>${esc(isComparison ? (c.variants ?? []).join('; ') : (metricName[c.metric] ?? c.metric))}</td><td>${int.format(c.runs ?? 0)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
  } catch {
    // the list is a convenience: the form works without it
  }
}

function compareView() {
  view().innerHTML = `<h2>Compare recruitment targets</h2>
  <p>Each target is run with the same random streams as the base (common random numbers), so the differences you see are the targets' effect, not Monte Carlo noise.</p>
  <form class="form panel" id="cmp-form" novalidate>
    <div class="grid">
      <div class="field"><label for="c-values">New in-house carer households per year <span class="hint">targets to compare, separated by commas</span></label><input id="c-values" name="values" type="text" inputmode="decimal" value="0, 12, 24" required></div>
      ${RUNS_FIELD.replace(/f-runs/g, 'c-runs')}
    </div>
    <button type="submit">Compare</button>
    <div id="cmp-out" aria-live="polite"></div>
  </form>`;
  showRecent('comparisons');
  onCreate('#cmp-form', '#cmp-out', async (form) => {
    const values = form.elements.values.value
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (!values.length || values.some((v) => !Number.isFinite(v) || v < 0)) {
      $('#cmp-out').innerHTML = '<p class="error" role="alert">Enter numbers of households, e.g. "0, 12, 24".</p>';
      return undefined;
    }
    const datasetId = await newestDatasetId();
    const runs = numberOrUndefined(form, 'runs') ?? 1000;
    const created = await api('POST', '/comparisons', {
      ...(datasetId ? { datasetId } : {}),
      overrides: { name: 'Recruitment targets', runs },
      sweep: { path: 'capacity.recruitmentPerYear', values },
    });
    return `#/comparisons/${encodeURIComponent(created.id)}`;
  });
}

/** The first whole financial year: a part year's cost is not comparable with a budget for the whole year. */
const firstWholeYear = (summary) =>
  summary.financialYears.find((_, i) => !summary.variants[0].financialYears[i]?.partial) ?? summary.financialYears[0];

function comparisonTable(summary, fy = firstWholeYear(summary)) {
  const fi = summary.financialYears.indexOf(fy);
  return `<table id="comparison-table"><caption>At ${esc(summary.horizonMonth)} and in ${esc(fy)}; savings are paired differences against the base (positive = cheaper)</caption>
    <thead><tr><th scope="col">Variant</th><th scope="col">Residential</th><th scope="col">Agency fostering</th><th scope="col">In-house overflow</th><th scope="col">Cost ${esc(fy)} (P50)</th><th scope="col">Chance over budget ${esc(fy)}</th><th scope="col">Saving ${esc(fy)}</th><th scope="col">Saving, whole forecast</th></tr></thead>
    <tbody>${summary.variants
      .map((v) => {
        const f = v.financialYears[fi] ?? {};
        const s = v.saving;
        const range = (a, b, fmt) => `<span class="num-range">${fmt(a)} to ${fmt(b)}</span>`;
        return `<tr><th scope="row">${esc(v.name)}</th>
        <td>${count(v.horizon.residential.p50)}${range(v.horizon.residential.p10, v.horizon.residential.p90, count)}</td>
        <td>${count(v.horizon.agencyFoster.p50)}${range(v.horizon.agencyFoster.p10, v.horizon.agencyFoster.p90, count)}</td>
        <td>${v.overflowTotal ? count(v.overflowTotal.p50) : '–'}</td>
        <td>${money(f.p50)}${range(f.p10, f.p90, compactMoney)}</td>
        <td>${pct(f.pOverBudget)}</td>
        <td>${s ? money(s.financialYears[fi]?.mean) + range(s.financialYears[fi]?.p10, s.financialYears[fi]?.p90, compactMoney) : 'base'}</td>
        <td>${s ? money(s.horizon.mean) + range(s.horizon.p10, s.horizon.p90, compactMoney) : 'base'}</td></tr>`;
      })
      .join('')}</tbody></table>`;
}

async function comparisonView(id) {
  view().innerHTML = '<h2>Comparison</h2><p>Loading…</p>';
  poll(async () => {
    const c = await api('GET', `/comparisons/${encodeURIComponent(id)}`);
    announce(`Comparison ${c.status}, ${c.progress ?? 0}%`);
    const head = `<h2>Comparison of ${esc(c.variants?.length ?? '')} variants</h2><p>Status ${statusBadge(c.status)} <progress max="100" value="${c.progress ?? 0}" aria-label="progress">${c.progress ?? 0}%</progress> ${c.progress ?? 0}%</p>`;
    if (c.status !== 'complete') {
      view().innerHTML = `${head}${c.reason ? `<p class="error">${esc(c.reason)}</p>` : ''}
        <ul>${(c.variants ?? []).map((v) => `<li>${esc(v.name)}: ${statusBadge(v.status)}</li>`).join('')}</ul>`;
      return c.status === 'queued' || c.status === 'running';
    }
    view().innerHTML = `${head}
      <div class="downloads"><button type="button" id="cmp-xlsx">Download Excel</button></div>
      <div class="form"><label for="cmp-year">Financial year shown</label>
        <select id="cmp-year">${c.summary.financialYears.map((y) => `<option${y === firstWholeYear(c.summary) ? ' selected' : ''}>${esc(y)}</option>`).join('')}</select></div>
      <div id="cmp-table">${comparisonTable(c.summary)}</div>
      <div class="chart">${savingChart(c.summary)}</div>`;
    $('#cmp-year').addEventListener('change', (ev) => {
      $('#cmp-table').innerHTML = comparisonTable(c.summary, ev.target.value);
    });
    $('#cmp-xlsx').addEventListener('click', () =>
      download(`/comparisons/${id}/export.xlsx`, `comparison-${id}.xlsx`).catch((e) =>
        view().insertAdjacentHTML('beforeend', errorBlock(e)),
      ),
    );
    return false;
  });
}

function targetView() {
  view().innerHTML = `<h2>Find a recruitment target</h2>
  <p>The smallest number of new in-house carer households a year that meets a goal, tried with the same random streams at every value.</p>
  <form class="form panel" id="tgt-form" novalidate>
    <div class="grid">
      <div class="field"><label for="t-metric">Goal</label><select id="t-metric" name="metric">
        <option value="pOverBudget">Chance of overspending the budget at most…</option>
        <option value="residential">Children in residential at the end at most…</option>
        <option value="agencyFoster">Children in agency fostering at the end at most…</option>
        <option value="cost">Cost of the year at most… (£)</option></select></div>
      <div class="field"><label for="t-atmost">At most <span class="hint">for a chance: 0.2 means 20%</span></label><input id="t-atmost" name="atMost" type="number" min="0" step="any" value="0.2" required></div>
      <div class="field"><label for="t-prob">With probability <span class="hint">counts and cost only; e.g. 0.8</span></label><input id="t-prob" name="withProbability" type="number" min="0.01" max="0.99" step="0.01" placeholder="0.5"></div>
      <div class="field"><label for="t-fy">Financial year <span class="hint">cost and budget goals; e.g. 2020/21</span></label><input id="t-fy" name="financialYear" type="text" pattern="\\d{4}/\\d{2}" placeholder="first whole year"></div>
      <div class="field"><label for="t-min">Search from</label><input id="t-min" name="min" type="number" min="0" step="1" value="0"></div>
      <div class="field"><label for="t-max">Search to</label><input id="t-max" name="max" type="number" min="1" step="1" value="40"></div>
      ${RUNS_FIELD.replace(/f-runs/g, 't-runs')}
    </div>
    <button type="submit">Find the target</button>
    <div id="tgt-out" aria-live="polite"></div>
  </form>`;
  showRecent('targets');
  // a sensible starting goal for each measure (a probability, a count of children, pounds)
  const DEFAULT_AT_MOST = { pOverBudget: '0.2', residential: '30', agencyFoster: '80', cost: '20000000' };
  $('#t-metric').addEventListener('change', (ev) => {
    $('#t-atmost').value = DEFAULT_AT_MOST[ev.target.value] ?? '';
  });
  onCreate('#tgt-form', '#tgt-out', async (form) => {
    const datasetId = await newestDatasetId();
    const goal = { metric: form.elements.metric.value, atMost: numberOrUndefined(form, 'atMost') ?? 0 };
    const p = numberOrUndefined(form, 'withProbability');
    if (p !== undefined && goal.metric !== 'pOverBudget') goal.withProbability = p;
    const fy = form.elements.financialYear.value.trim();
    if (fy && (goal.metric === 'cost' || goal.metric === 'pOverBudget')) goal.financialYear = fy;
    const created = await api('POST', '/targets', {
      ...(datasetId ? { datasetId } : {}),
      overrides: { name: 'Target search', runs: numberOrUndefined(form, 'runs') ?? 1000 },
      search: {
        path: 'capacity.recruitmentPerYear',
        min: numberOrUndefined(form, 'min') ?? 0,
        max: numberOrUndefined(form, 'max') ?? 40,
      },
      goal,
    });
    return `#/targets/${encodeURIComponent(created.id)}`;
  });
}

async function targetResultView(id) {
  view().innerHTML = '<h2>Target</h2><p>Loading…</p>';
  poll(async () => {
    const t = await api('GET', `/targets/${encodeURIComponent(id)}`);
    const g = t.goal ?? {};
    const what =
      {
        pOverBudget: 'chance of overspending the budget',
        residential: 'children in residential at the end',
        agencyFoster: 'children in agency fostering at the end',
        cost: 'cost of the year',
      }[g.metric] ?? g.metric;
    const goalText = `Goal: ${what}${g.financialYear ? ` (${g.financialYear})` : ''} at most ${g.metric === 'pOverBudget' ? pct(g.atMost) : g.metric === 'cost' ? money(g.atMost) : count(g.atMost)}${g.withProbability ? `, with probability ${pct(g.withProbability)}` : ''}; searching ${t.search?.path} from ${t.search?.min} to ${t.search?.max}.`;
    announce(`Target search ${t.status}`);
    const head = `<h2>Target search</h2><p>${esc(goalText)}</p><p>Status ${statusBadge(t.status)}${t.status === 'running' ? ` · ${t.progress ?? 0}% of the maximum number of tries` : ''}</p>`;
    if (t.status !== 'complete') {
      view().innerHTML = head + (t.reason ? `<p class="error">${esc(t.reason)}</p>` : '');
      return t.status === 'queued' || t.status === 'running';
    }
    const a = t.answer;
    const fmt = t.goal.metric === 'pOverBudget' ? pct1 : t.goal.metric === 'cost' ? money : count;
    view().innerHTML = `${head}
      <div class="headline"><div>${a.reachable ? `Smallest target<strong>${esc(a.value)} a year</strong>` : `<strong>Not reachable</strong> within ${esc(t.search.min)}–${esc(t.search.max)}`}</div></div>
      <p>${esc(a.message)}</p>${a.monotone ? '' : '<p class="error">The measure does not fall steadily as the target rises: read the curve before relying on the answer.</p>'}
      <div class="chart">${curveChart(a, t.goal)}</div>
      <table><caption>Values tried</caption><thead><tr><th scope="col">Households per year</th><th scope="col">Measure</th><th scope="col">Meets the goal</th></tr></thead>
      <tbody>${a.curve.map((p) => `<tr><th scope="row">${esc(p.value)}</th><td>${fmt(p.metric)}</td><td>${p.meets ? 'yes' : 'no'}</td></tr>`).join('')}</tbody></table>`;
    return false;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// routing

const ROUTES = [
  [/^#\/forecast$/, forecastView, 'forecast'],
  [/^#\/scenarios$/, scenariosView, 'scenarios'],
  [/^#\/scenarios\/([^/]+)$/, scenarioView, 'scenarios'],
  [/^#\/new$/, newScenarioView, 'new'],
  [/^#\/compare$/, compareView, 'compare'],
  [/^#\/comparisons\/([^/]+)$/, comparisonView, 'compare'],
  [/^#\/target$/, targetView, 'target'],
  [/^#\/targets\/([^/]+)$/, targetResultView, 'target'],
];

async function route() {
  clearTimeout(pollTimer);
  if (!token()) {
    showLogin();
    return;
  }
  $('#login').hidden = true;
  showWho();
  const hash = location.hash || '#/forecast';
  const match = ROUTES.find(([re]) => re.test(hash)) ?? ROUTES[0];
  const [re, fn, nav] = match;
  document
    .querySelectorAll('[data-nav]')
    .forEach((a) =>
      a.dataset.nav === nav ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current'),
    );
  const args = (re.exec(hash) ?? []).slice(1).map(decodeURIComponent);
  try {
    await fn(...args);
  } catch (e) {
    if (e?.status !== 401) view().innerHTML = errorBlock(e);
  }
}

window.addEventListener('hashchange', () => {
  route();
  $('#main').focus();
});
route();
