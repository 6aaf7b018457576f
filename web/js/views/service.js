// Service: children in care against the council's target, the placement mix, and UASC against the rota threshold
// with the chance of being on the rota.
import { baselinePicker, loadBaseline, wirePicker } from '../baseline.js';
import { childrenSpec, figure, uascSpec } from '../charts.js';
import { COLOURS } from '../chart-core.js';
import { count, esc, longMonth, pct } from '../format.js';
import { mixTable } from '../tables.js';
import { $, view } from '../ui.js';

const TARGET_KEY = 'placement-forecast-children-target';

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
  const saved = Number(localStorage.getItem(TARGET_KEY));
  const target = Number.isFinite(saved) && saved > 0 ? saved : undefined;
  const totalSpec = childrenSpec(r, 'total', {
    title: 'Children in care against the council’s target',
    size: { width: 960, height: 420, fontSize: 15 },
    ref: target
      ? {
          label: 'Council target',
          tag: `Target ${target}`,
          values: r.months.map(() => target),
          colour: COLOURS.budget,
          className: 'target',
        }
      : undefined,
  });
  const last = r.months.length - 1;
  view().innerHTML = `<h2>Service: children in care, mix and UASC</h2>
    ${await baselinePicker(base, 'service')}
    <section aria-labelledby="care-h"><h3 id="care-h">Children in care</h3>
    <form class="form inline" id="target-form"><label for="care-target">Council’s target for children in care</label>
      <input id="care-target" name="target" type="number" min="0" step="1" value="${target ?? ''}" placeholder="e.g. 330"><button type="submit" class="secondary">Show on the chart</button></form>
    <p>${target ? `By ${esc(longMonth(r.months[last]))} the median is ${count(r.population.total.p50[last])} children against a target of ${count(target)}.` : 'Set the council’s target to draw it on the chart (kept in this browser).'}</p>
    <div class="charts one">${figure(totalSpec, { filename: 'children-in-care' })}</div></section>
    <section aria-labelledby="mix-h"><h3 id="mix-h">Placement mix</h3>${mixTable(r)}
      <div class="charts">${figure(childrenSpec(r, 'inHouseFoster'))}${figure(childrenSpec(r, 'residential'))}</div></section>
    <section aria-labelledby="uasc-h"><h3 id="uasc-h">Unaccompanied asylum-seeking children</h3>${uascBlock(r)}</section>`;
  wirePicker();
  $('#target-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = Number($('#care-target').value);
    if (Number.isFinite(v) && v > 0) localStorage.setItem(TARGET_KEY, String(v));
    else localStorage.removeItem(TARGET_KEY);
    serviceView(scenarioId);
  });
}
