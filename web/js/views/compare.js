// Comparing recruitment targets: the form, and a comparison's result with every financial year side by side.
import { ANALYSTS, api, can, download, isRegionUser } from '../api.js';
import { figure, savingSpec } from '../charts.js';
import { compactMoney, count, esc, localTime, longMonth, money, pct } from '../format.js';
import { emptyPlacesCost } from '../derive.js';
import { RECRUITMENT, sweepName } from '../input-labels.js';
import {
  $,
  announce,
  backToList,
  deleteBox,
  errorBlock,
  newestDatasetId,
  numberOrUndefined,
  onCreate,
  poll,
  readOnlyNote,
  RUNS_FIELD,
  noteHtml,
  scrollBox,
  statusBadge,
  takeNote,
  view,
  wireDeletes,
} from '../ui.js';
import { latestForecastInputs } from '../baseline.js';
import { COMPARISON_QUESTION, showRecent } from './recent.js';

/** The form and the user's recent comparisons; `note`: what a comparison's own page just deleted. */
export function compareView(note = takeNote()) {
  const said = noteHtml(note, 'deleted-note');
  if (!can(...ANALYSTS)) {
    view().innerHTML = `<h2>Compare recruitment targets</h2>${said}${readOnlyNote('compare targets')}`;
    showRecent('comparisons');
    return;
  }
  view().innerHTML = `<h2>Compare recruitment targets</h2>${said}
  <p>Each target is run with the same random streams as the base (common random numbers), so the differences you see are the targets' effect, not Monte Carlo noise.</p>
  <form class="form panel" id="cmp-form" novalidate>
    <div class="grid">
      <div class="field"><label for="c-values">New in-house carer households per year <span class="hint">targets to compare, separated by commas<span id="c-today"></span></span></label><input id="c-values" name="values" type="text" inputmode="decimal" value="0, 12, 24" required></div>
      ${RUNS_FIELD.replace(/f-runs/g, 'c-runs')}
    </div>
    <button type="submit">Compare</button>
    <div id="cmp-out" aria-live="polite"></div>
  </form>`;
  showRecent('comparisons');
  // today's plan, so "20 more than now" can be typed: what the latest monthly forecast used
  latestForecastInputs().then((inputs) => {
    const today = inputs[RECRUITMENT];
    const at = document.getElementById('c-today');
    if (at && typeof today === 'number') at.textContent = `; today’s plan (the base): ${today} a year`;
  });
  onCreate('#cmp-form', '#cmp-out', async (form) => {
    const values = [
      ...new Set(
        form.elements.values.value
          .split(/[,\s]+/)
          .filter(Boolean)
          .map(Number),
      ),
    ];
    if (!values.length || values.some((v) => !Number.isFinite(v) || v < 0)) {
      $('#cmp-out').innerHTML = '<p class="error" role="alert">Enter numbers of households, e.g. "0, 12, 24".</p>';
      return undefined;
    }
    const datasetId = await newestDatasetId();
    const runs = numberOrUndefined(form, 'runs') ?? 1000;
    const created = await api('POST', '/comparisons', {
      ...(datasetId ? { datasetId } : {}),
      overrides: { name: 'Recruitment targets', runs },
      sweep: { path: RECRUITMENT, values },
    });
    return `#/comparisons/${encodeURIComponent(created.id)}`;
  });
}

/** "£0 to £661k" under a figure; each end kept whole, so "−£62k" never breaks after its minus sign */
const range = (a, b, fmt) =>
  `<span class="num-range"><span class="nowrap">${fmt(a)}</span> to <span class="nowrap">${fmt(b)}</span></span>`;

/** Row names: the base says its own value; a target equal to the base's value is the base and is not repeated. */
export function comparisonRows(c) {
  const s = c.summary;
  const baseValue = c.sweep?.baseValue;
  return s.variants
    .filter((v) => v.isBase || baseValue === undefined || v.value !== baseValue)
    .map((v) => ({
      v,
      name: v.isBase
        ? baseValue !== undefined
          ? `Base: ${sweepName(c.sweep.path, baseValue)} (today’s plan)`
          : 'Base (today’s plan)'
        : v.name,
    }));
}

/** Children at the horizon and in-house overflow, per variant. */
export function horizonCompareTable(c) {
  const s = c.summary;
  // each table in a box that scrolls sideways, so the page does not at 400 px (five columns of money and ranges)
  return `${scrollBox(`<table id="comparison-table"><caption>Children at the end of ${esc(longMonth(s.horizonMonth))} (median, with P10 to P90) and in-house overflow over the whole forecast</caption>
    <thead><tr><th scope="col">Variant</th><th scope="col">Residential (children)</th><th scope="col">Agency fostering (children)</th><th scope="col">In-house overflow (children, whole forecast)</th><th scope="col">Saving, whole forecast (mean; P10 to P90)</th></tr></thead>
    <tbody>${comparisonRows(c)
      .map(({ v, name }) => {
        const sv = v.saving;
        return `<tr><th scope="row">${esc(name)}</th>
        <td>${count(v.horizon.residential.p50)}${range(v.horizon.residential.p10, v.horizon.residential.p90, count)}</td>
        <td>${count(v.horizon.agencyFoster.p50)}${range(v.horizon.agencyFoster.p10, v.horizon.agencyFoster.p90, count)}</td>
        <td>${v.overflowTotal ? `${count(v.overflowTotal.p50)}${range(v.overflowTotal.p10, v.overflowTotal.p90, count)}` : '–'}</td>
        <td>${sv ? money(sv.horizon.mean) + range(sv.horizon.p10, sv.horizon.p90, compactMoney) : 'the base itself'}</td></tr>`;
      })
      .join('')}</tbody></table>`)}
    <p class="hint">In-house overflow: children who would have gone to one of the council's own foster carers but found no free place, so were placed with an agency or in residential care instead — counted over the whole forecast.</p>`;
}

/** Every financial year at once: cost (median and range), chance over budget, and the saving against the base. */
export function yearsCompareTable(c) {
  const s = c.summary;
  const rows = comparisonRows(c);
  const head = s.financialYears
    .map((y, i) => {
      const partial = s.variants[0].financialYears[i]?.partial;
      return `<th scope="col">${esc(y)}${partial ? ` <span class="hint">(${s.variants[0].financialYears[i].months} months)</span>` : ''}</th>`;
    })
    .join('');
  const table = (id, caption, cell) =>
    scrollBox(
      `<table id="${id}" class="years-table"><caption>${caption}</caption><thead><tr><th scope="col">Variant</th>${head}</tr></thead><tbody>${rows
        .map(
          ({ v, name }) =>
            `<tr><th scope="row">${esc(name)}</th>${s.financialYears.map((_, i) => `<td>${cell(v, i)}</td>`).join('')}</tr>`,
        )
        .join('')}</tbody></table>`,
    );
  return [
    table('cmp-cost', 'Cost by financial year (median; P10 to P90 below)', (v, i) => {
      const f = v.financialYears[i] ?? {};
      return `${compactMoney(f.p50)}${range(f.p10, f.p90, compactMoney)}`;
    }),
    table('cmp-over', 'Chance of exceeding the budget, by financial year', (v, i) =>
      pct(v.financialYears[i]?.pOverBudget),
    ),
    table(
      'cmp-saving',
      'Saving against the base by financial year (mean; P10 to P90 below; positive = cheaper)',
      (v, i) => {
        const sv = v.saving?.financialYears[i];
        return sv ? `${compactMoney(sv.mean)}${range(sv.p10, sv.p90, compactMoney)}` : '–';
      },
    ),
  ].join('');
}

/**
 * A regional base: each council's own saving over the whole forecast, per variant — paired run by run like the
 * region's, so a commissioner can see where a regional plan saves and where it costs, and how sure that is. The
 * councils' savings, less any rise in the block cost of shared places left empty (the region pays for them whether
 * used or not), make the region's: both are rows too, so the table adds up as the Word report's does.
 */
export function councilSavingsTable(c) {
  const s = c.summary;
  const variants = comparisonRows(c).filter(({ v }) => !v.isBase && v.councils?.length);
  if (!s.regional || !variants.length) return '';
  const cells = (sv) =>
    sv
      ? `<td>${money(sv.mean)}</td><td>${money(sv.se)}</td><td>${compactMoney(sv.p10)} to ${compactMoney(sv.p90)}</td><td>${pct(sv.pSaves)}</td>`
      : '<td>–</td><td>–</td><td>–</td><td>–</td>';
  const rows = variants
    .flatMap(({ v, name }) => {
      const region = v.saving?.horizon;
      const empty = emptyPlacesCost(v);
      const span = v.councils.length + (empty !== null ? 1 : 0) + (region ? 1 : 0);
      const variantCell = `<th scope="rowgroup" rowspan="${span}">${esc(name)}</th>`;
      return [
        ...v.councils.map(
          (line, i) =>
            `<tr>${i === 0 ? variantCell : ''}<th scope="row">${esc(line.code)}</th>${cells(line.saving?.horizon)}</tr>`,
        ),
        ...(empty !== null
          ? [
              `<tr><th scope="row">Shared places left empty (change in their block cost)</th><td>${money(empty)}</td><td>–</td><td>–</td><td>–</td></tr>`,
            ]
          : []),
        ...(region ? [`<tr class="total"><th scope="row">Region (total)</th>${cells(region)}</tr>`] : []),
      ];
    })
    .join('');
  return `${scrollBox(`<table id="cmp-councils"><caption>Each council’s saving over the whole forecast (its own cost against its cost in the base, run by run; positive = cheaper)</caption>
    <thead><tr><th scope="col">Variant</th><th scope="col">Council</th><th scope="col">Mean saving</th><th scope="col">Standard error of the mean</th><th scope="col">P10 to P90</th><th scope="col">Runs in which it is cheaper</th></tr></thead>
    <tbody>${rows}</tbody></table>`)}
    <p class="hint">A saving within about two standard errors of zero is not distinguishable from no effect at this number of runs.</p>`;
}

/**
 * One comparison, followed while it runs; its creator (a finance officer or commissioner) has Delete under the status,
 * asking first, which goes back to the list the comparison came from (the Compare page, or a region's Region page)
 * saying what was deleted. The Delete box is drawn once, so a question asked stays asked while the status is redrawn.
 */
export async function comparisonView(id) {
  view().innerHTML =
    '<div id="cmp-head"><h2>Comparison</h2><p>Loading…</p></div><div id="cmp-delete"></div><div id="cmp-body"></div>';
  const head = $('#cmp-head');
  const box = $('#cmp-delete');
  const body = $('#cmp-body');
  let boxDrawn = false;
  poll(async () => {
    const c = await api('GET', `/comparisons/${encodeURIComponent(id)}`);
    announce(`Comparison ${c.status}, ${c.progress ?? 0}%`);
    if (!boxDrawn) {
      boxDrawn = true;
      box.innerHTML = deleteBox('data-delete-comparison', c, 'Delete this comparison');
      wireDeletes(box, 'data-delete-comparison', {
        question: COMPARISON_QUESTION,
        remove: async () => {
          await api('DELETE', `/comparisons/${encodeURIComponent(id)}`);
          backToList(isRegionUser() ? '#/region' : '#/compare', `Comparison made ${localTime(c.createdAt)} deleted.`);
        },
      });
    }
    head.innerHTML = `<h2>Comparison of ${esc(c.variants?.length ?? '')} variants</h2><p>Status ${statusBadge(c.status)} <progress max="100" value="${c.progress ?? 0}" aria-label="progress">${c.progress ?? 0}%</progress> ${c.progress ?? 0}%</p>`;
    if (c.status !== 'complete') {
      body.innerHTML = `${c.reason ? `<p class="error">${esc(c.reason)}</p>` : ''}
        <ul>${(c.variants ?? []).map((v) => `<li>${esc(v.name)}: ${statusBadge(v.status)}</li>`).join('')}</ul>`;
      return c.status === 'queued' || c.status === 'running';
    }
    body.innerHTML = `<p>${c.summary.runs.toLocaleString('en-GB')} runs per variant, the same random streams for all: savings are paired differences against the base.</p>
      <div class="downloads"><button type="button" id="cmp-xlsx">Download Excel</button> <button type="button" class="secondary" id="cmp-docx">Download committee report (Word)</button></div>
      ${horizonCompareTable(c)}
      ${yearsCompareTable(c)}
      ${councilSavingsTable(c)}
      <div class="charts one">${figure(savingSpec(c.summary, c.sweep?.baseValue, c.sweep?.path), { filename: `comparison-${id}-saving` })}</div>`;
    $('#cmp-xlsx').addEventListener('click', () =>
      download(`/comparisons/${id}/export.xlsx`, `comparison-${id}.xlsx`).catch((e) =>
        view().insertAdjacentHTML('beforeend', errorBlock(e)),
      ),
    );
    $('#cmp-docx').addEventListener('click', () =>
      download(`/comparisons/${id}/report.docx`, `comparison-${id}.docx`).catch((e) =>
        view().insertAdjacentHTML('beforeend', errorBlock(e)),
      ),
    );
    return false;
  });
}
