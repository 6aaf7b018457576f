// Service: children in care against the council's target, the placement mix, and UASC against the rota threshold
// with the chance of being on the rota.
import { api, can, tenant } from '../api.js';
import { baselinePicker, loadBaseline, wirePicker } from '../baseline.js';
import { childrenSpec, figure, targetRef, uascSpec } from '../charts.js';
import { count, esc, longMonth, pct } from '../format.js';
import { mixTable } from '../tables.js';
import { $, errorBlock, view } from '../ui.js';

/** The council's profile (GET /councils/{code}), or undefined when it has none or the caller has no council. */
export async function councilProfile() {
  const code = tenant().council;
  if (!code) return undefined;
  return api('GET', `/councils/${encodeURIComponent(code)}`).catch(() => undefined);
}

/** The council's children-in-care target, kept on its profile so every role sees the same one. */
export const careTarget = (council) => council?.profile?.targets?.childrenInCare;

/**
 * Stores the target on the council's profile (a new profile version: PUT /councils/{code} takes the profile whole);
 * an empty value removes it.
 */
async function saveTarget(council, value) {
  const { targets, ...rest } = council.profile;
  const others = { ...(targets ?? {}) };
  delete others.childrenInCare;
  const next = value === undefined ? others : { ...others, childrenInCare: value };
  return api('PUT', `/councils/${encodeURIComponent(council.code)}`, {
    ...rest,
    ...(Object.keys(next).length ? { targets: next } : {}),
  });
}

function targetForm(council, target) {
  if (!council)
    return '<p class="hint">Your council has no profile yet, so no children-in-care target: a data manager creates the profile (docs/COUNCILS.md).</p>';
  if (!can('data-manager'))
    return '<p class="hint">The target is kept on the council profile: a data manager sets it, and every role sees the same one.</p>';
  return `<form class="form inline" id="target-form" novalidate><label for="care-target">Council’s target for children in care</label>
      <input id="care-target" name="target" type="number" min="1" max="100000" step="1" value="${target ?? ''}" placeholder="e.g. 330"><button type="submit" class="secondary">Save on the council profile</button></form>
    <div id="target-out" aria-live="polite"></div>`;
}

function uascBlock(r) {
  const u = r.uasc;
  if (!u)
    return '<p>This forecast does not model unaccompanied asylum-seeking children (no child population or threshold set).</p>';
  const last = r.months.length - 1;
  return `<div class="charts one">${figure(uascSpec(r, { width: 960, height: 420, fontSize: 15 }), { filename: 'uasc-against-threshold' })}</div>
    <table id="uasc-table"><caption>UASC in care against the National Transfer Scheme threshold</caption><thead><tr><th scope="col">Month</th><th scope="col">UASC (median)</th><th scope="col">P10–P90</th><th scope="col">Threshold</th><th scope="col">Chance on the rota</th><th scope="col">Transfers in (median a month)</th></tr></thead><tbody>
    ${[0, Math.min(11, last), Math.min(23, last), last]
      .filter((v, i, a) => a.indexOf(v) === i)
      .map(
        (i) =>
          `<tr><th scope="row">${esc(longMonth(r.months[i]))}</th><td>${count(u.count.p50[i])}</td><td>${count(u.count.p10[i])}–${count(u.count.p90[i])}</td><td>${count(u.threshold[i])}</td><td>${pct(u.pOnRota[i])}</td><td>${count(u.transfers?.p50?.[i])}</td></tr>`,
      )
      .join('')}</tbody></table>
    <p class="hint">The council is on the rota (and receives transfers) while its UASC are below the threshold: 0.07% of its child population, 0.1% from August 2022.</p>`;
}

export async function serviceView(scenarioId) {
  view().innerHTML = '<h2>Service</h2><p>Loading…</p>';
  const base = await loadBaseline(scenarioId);
  if (!base) {
    view().innerHTML = '<h2>Service</h2><p>No forecast has been made yet.</p>';
    return;
  }
  const r = base.result;
  const council = await councilProfile();
  const target = careTarget(council);
  const totalSpec = childrenSpec(r, 'total', {
    title: target ? 'Children in care against the council’s target' : 'All children in care',
    size: { width: 960, height: 420, fontSize: 15 },
    ref: target ? targetRef(r, target) : undefined,
  });
  const last = r.months.length - 1;
  view().innerHTML = `<h2>Service: children in care, mix and UASC</h2>
    ${await baselinePicker(base, 'service')}
    <section aria-labelledby="care-h"><h3 id="care-h">Children in care</h3>
    ${targetForm(council, target)}
    <p id="target-line">By ${esc(longMonth(r.months[last]))} the median is ${count(r.population.total.p50[last])} children${target ? ` against the council’s target of ${count(target)}.` : ` (P10–P90: ${count(r.population.total.p10[last])} to ${count(r.population.total.p90[last])}); no children-in-care target is set on the council profile.`}</p>
    <div class="charts one">${figure(totalSpec, { filename: 'children-in-care' })}</div></section>
    <section aria-labelledby="mix-h"><h3 id="mix-h">Placement mix</h3>${mixTable(r)}
      <div class="charts">${figure(childrenSpec(r, 'inHouseFoster'))}${figure(childrenSpec(r, 'residential'))}</div></section>
    <section aria-labelledby="uasc-h"><h3 id="uasc-h">Unaccompanied asylum-seeking children</h3>${uascBlock(r)}</section>`;
  wirePicker();
  $('#target-form')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = ev.target.querySelector('button');
    const raw = $('#care-target').value.trim();
    button.disabled = true;
    try {
      // the API checks the number (a whole number from 1 to 100,000) and says what is wrong
      await saveTarget(council, raw === '' ? undefined : Number(raw));
      await serviceView(scenarioId);
    } catch (e) {
      $('#target-out').innerHTML = errorBlock(e);
      button.disabled = false;
    }
  });
}
