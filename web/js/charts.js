// Charts in the page: chart-core.js draws the SVG (the same code the server uses for chart.svg and the report); here
// each chart becomes a figure with "Download PNG" / "Download SVG" and the table of its numbers behind it.
import { COLOURS, budgetRef, chartSvg, chartTableHtml, escapeXml, fanSpec, monthLabel } from './chart-core.js';
import { LABELS } from './format.js';
import { formatInput, parameterLabel, savingAxisTitle, savingBarLabel } from './input-labels.js';
import { scrollBox } from './ui.js';

let figures = 0;
/** the specs of the figures on the page, by figure id, for the downloads */
const drawn = new Map();

/**
 * A chart as a figure: the SVG, buttons to download it, and its numbers as a table (collapsed). `svg` may be given
 * (a chart from the API) with the spec still describing its data for the table.
 */
export function figure(spec, { filename, svg, tableCaption } = {}) {
  const fid = `fig-${++figures}`;
  const markup = svg ?? chartSvg({ ...spec, id: `${fid}-svg` });
  drawn.set(fid, { filename: filename ?? slug(spec.title) });
  return `<figure class="chart" id="${fid}">
    ${markup}
    <figcaption class="chart-actions">
      <button type="button" class="secondary small" data-chart-dl="png" data-fig="${fid}">Download PNG<span class="sr-only">: ${escapeXml(spec.title)}</span></button>
      <button type="button" class="secondary small" data-chart-dl="svg" data-fig="${fid}">Download SVG<span class="sr-only">: ${escapeXml(spec.title)}</span></button>
      <details><summary>Table of this chart<span class="sr-only">: ${escapeXml(spec.title)}</span></summary>${scrollBox(chartTableHtml({ ...spec, x: { ...spec.x } }, tableCaption ?? spec.title))}</details>
    </figcaption>
  </figure>`;
}

const slug = (s) =>
  String(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'chart';

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Download buttons of every figure: one listener for the page. */
document.addEventListener('click', async (ev) => {
  const b = ev.target.closest?.('[data-chart-dl]');
  if (!b) return;
  const fig = document.getElementById(b.dataset.fig);
  const svg = fig?.querySelector('svg');
  if (!svg) return;
  const name = drawn.get(b.dataset.fig)?.filename ?? 'chart';
  const text = new XMLSerializer().serializeToString(svg);
  if (b.dataset.chartDl === 'svg') {
    save(new Blob([text], { type: 'image/svg+xml' }), `${name}.svg`);
    return;
  }
  // PNG at twice the chart's size, white background: sharp in a document
  const vb = svg.viewBox.baseVal;
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = vb.width * 2;
  canvas.height = vb.height * 2;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  canvas.toBlob((blob) => blob && save(blob, `${name}.png`), 'image/png');
});

const GRID = { width: 640, height: 400, fontSize: 14 };
const WIDE = { width: 960, height: 440, fontSize: 15 };

const yearsOf = (result) => result.cost.financialYears;
const fyLabel = (f) => (f.partial ? `${f.label} (${f.months} months)` : f.label);

/**
 * Cost by financial year with the budget labelled. A year the horizon cuts short (4 months of 2026/27) would draw as a
 * fall beside the whole years, so with two whole years or more only those are drawn, and the title says so (the
 * tables keep every year).
 */
export function costSpec(result, { title, size = GRID, net } = {}) {
  const all = yearsOf(result);
  const whole = all.filter((f) => !f.partial);
  const years = whole.length >= 2 ? whole : all;
  const pick = (k) => years.map((f) => (net ? f.net?.[k] : f[k]));
  const budget = years.map((f) => f.budget ?? null);
  const named = title ?? `Placement cost by financial year${net ? ' (net of grant)' : ''}`;
  return fanSpec({
    title: years.length < all.length ? `${named} (whole years)` : named,
    labels: years.map(fyLabel),
    xTitle: 'Financial year (April to March)',
    yTitle: '£ per financial year',
    format: 'money',
    q: { p10: pick('p10'), p25: pick('p25'), p50: pick('p50'), p75: pick('p75'), p90: pick('p90') },
    ref: budget.some((b) => b !== null) ? budgetRef(budget) : undefined,
    ...size,
  });
}

/** Children in one placement (or all) by month, with recorded history when given. */
export function childrenSpec(result, series, { title, history, size = GRID, ref } = {}) {
  const spec = fanSpec({
    title:
      title ?? (series === 'total' ? 'All children in care' : `Children in ${LABELS[series]?.toLowerCase() ?? series}`),
    labels: result.months,
    xTitle: 'Month',
    yTitle: 'Children (end of month)',
    format: 'count',
    q: result.population[series],
    history,
    ref,
    ...size,
  });
  spec.x.labels = spec.x.labels.map(monthLabel);
  return spec;
}

/** The council's children-in-care target as a labelled line across the forecast. */
export function targetRef(result, target) {
  return {
    label: 'Council target',
    tag: `Target ${target}`,
    values: result.months.map(() => target),
    colour: COLOURS.budget,
    className: 'target',
  };
}

/** UASC in care against the dated NTS threshold, with the chance of being on the rota in the table. */
export function uascSpec(
  result,
  size = GRID,
  title = 'Unaccompanied asylum-seeking children against the rota threshold',
) {
  const u = result.uasc;
  const spec = fanSpec({
    title,
    labels: result.months,
    xTitle: 'Month',
    yTitle: 'UASC in care (end of month)',
    format: 'count',
    q: u.count,
    ref: {
      label: 'NTS threshold',
      tag: 'Threshold',
      values: u.threshold,
      colour: COLOURS.threshold,
      className: 'threshold',
    },
    zero: true,
    desc: 'Fan chart of UASC in care by month; the dashed line is the National Transfer Scheme threshold (a share of the child population). Below it, the council is on the rota and receives transfers.',
    ...size,
  });
  spec.x.labels = spec.x.labels.map(monthLabel);
  // the chance of being on the rota goes into the table behind the chart (a percentage per month)
  spec.extraColumns = [['Chance on the rota', u.pOnRota.map((p) => `${Math.round(p * 100)}%`)]];
  return spec;
}

/** In-house places against in-house children, and the overflow sent elsewhere each month. */
export function capacitySpec(result, size = GRID) {
  const h = result.inHouse;
  const spec = fanSpec({
    title: 'In-house fostering: places and children placed',
    labels: result.months,
    xTitle: 'Month',
    yTitle: 'Places or children (end of month)',
    format: 'count',
    q: h.occupancy,
    ref: {
      label: 'In-house places (median)',
      tag: 'Places',
      values: h.capacity.p50,
      colour: COLOURS.good,
      className: 'capacity',
    },
    desc: 'Fan chart of children in in-house foster places by month; the dashed line is the median number of in-house places (households × places per household).',
    ...size,
  });
  spec.x.labels = spec.x.labels.map(monthLabel);
  return spec;
}

/** A pool of places the region commissions together: children in them by month against the places (median). */
export function sharedSpec(months, pool, title, size = GRID) {
  const spec = fanSpec({
    title,
    labels: months,
    xTitle: 'Month',
    yTitle: 'Places or children (end of month)',
    format: 'count',
    q: pool.occupancy,
    ref: {
      label: 'Places (median)',
      tag: 'Places',
      values: pool.places.p50,
      colour: COLOURS.good,
      className: 'capacity',
    },
    zero: true,
    desc: 'Fan chart of children in the shared places by month; the dashed line is the median number of places commissioned.',
    ...size,
  });
  spec.x.labels = spec.x.labels.map(monthLabel);
  return spec;
}

export function overflowSpec(result, size = GRID) {
  const spec = fanSpec({
    title: 'Overflow: children who needed an in-house place and went elsewhere',
    labels: result.months,
    xTitle: 'Month',
    yTitle: 'Children per month',
    format: 'count',
    q: result.inHouse.overflow,
    zero: true,
    desc: 'Children each month who would have gone to in-house fostering but found no free place, so were placed with an agency or elsewhere.',
    ...size,
  });
  spec.x.labels = spec.x.labels.map(monthLabel);
  return spec;
}

/**
 * Saving against the base over the whole forecast, by variant: mean and P10–P90 of the paired difference. `path`: the
 * swept input (its name titles the axis, its values label the bars).
 */
export function savingSpec(summary, baseValue, path) {
  // a target equal to the base's own value is the base: no bar for it
  const vs = summary.variants.filter((v) => v.saving && (baseValue === undefined || v.value !== baseValue));
  return {
    title: 'Saving against the base over the whole forecast',
    desc: 'Bars: the mean saving of each target against the base (positive = cheaper than the base); whiskers: P10 to P90 of the paired saving.',
    testid: 'comparison-chart',
    ...WIDE,
    height: 400,
    x: {
      labels: vs.map((v) => savingBarLabel(v, path)),
      title: savingAxisTitle(vs, path),
    },
    y: { title: '£ saved over the forecast', format: 'money', zero: true },
    bars: {
      items: vs.map((v) => ({ mean: v.saving.horizon.mean, lo: v.saving.horizon.p10, hi: v.saving.horizon.p90 })),
      label: 'Mean saving',
      rangeLabel: 'P10–P90 of the saving',
    },
  };
}

/** The goal's measure at each value tried of the searched input (`path`), with the goal line labelled. */
export function curveSpec(answer, goal, measureTitle, format, path) {
  const pts = answer.curve;
  return {
    title: `${measureTitle} at each value tried`,
    desc: 'The line joins the measure at each value tried; the dashed line is the goal.',
    testid: 'target-chart',
    ...WIDE,
    height: 380,
    x: { labels: pts.map((p) => formatInput(path, p.value)), title: parameterLabel(path) },
    y: { title: measureTitle, format, zero: format !== 'money' },
    lines: [
      {
        values: pts.map((p) => p.metric),
        label: measureTitle,
        colour: COLOURS.median,
        width: 2.5,
        className: 'curve',
        points: { className: 'tried' },
      },
    ],
    refs: [
      {
        values: pts.map(() => goal.atMost),
        label: 'Goal',
        tag: `Goal: at most ${format === 'percent' ? `${Math.round(goal.atMost * 1000) / 10}%` : format === 'money' ? `£${(goal.atMost / 1e6).toFixed(1)}m` : goal.atMost}`,
        colour: COLOURS.budget,
        className: 'goal',
      },
    ],
  };
}

export { GRID, WIDE };
