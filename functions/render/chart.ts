/**
 * Fan charts as standalone SVG: P10–P90 and P25–P75 bands, the P50 line, history where a dataset backs the forecast,
 * and the budget for cost. Self-contained (no scripts, no external fonts or CSS) so it can be pasted into a report.
 */
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { CATEGORY_LABELS, isCategory } from '#models/placement';
import type { ForecastResult, Quantiles } from '#models/result';

export interface FanBands {
  p10: number[];
  p25: number[];
  p50: number[];
  p75: number[];
  p90: number[];
}

export interface FanChartInput {
  title: string;
  /** axis caption, e.g. "children" or "£ per financial year" */
  yLabel: string;
  /** labels of the forecast points ("2018-04" or "2018/19") */
  x: string[];
  bands: FanBands;
  /** observed values before the forecast, oldest first */
  history?: { x: string; value: number }[];
  /** budget per forecast point (cost charts); undefined where there is none */
  budget?: (number | undefined)[];
  money?: boolean;
  width?: number;
  height?: number;
}

const COLOURS = {
  outer: '#9ecae1',
  inner: '#4292c6',
  median: '#08306b',
  history: '#222222',
  budget: '#b30000',
  axis: '#444444',
  grid: '#e5e5e5',
};

export function escapeXml(s: string): string {
  // characters XML 1.0 cannot carry at all (control characters, lone surrogates) are dropped, so the SVG stays well-formed
  s = s.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );
}

const num = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0');

function formatTick(v: number, money: boolean): string {
  if (!money) return Math.round(v).toLocaleString('en-GB');
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(a >= 1e7 ? 0 : 1).replace(/\.0$/, '')}m`;
  if (a >= 1e3) return `${sign}£${Math.round(a / 1e3)}k`;
  return `${sign}£${Math.round(a)}`;
}

export function fanChartSvg(input: FanChartInput): string {
  const width = input.width ?? 800;
  const height = input.height ?? 420;
  const margin = { top: 48, right: 28, bottom: 60, left: 84 };
  const history = input.history ?? [];
  const n = input.x.length;
  const all = history.length + n;
  const budgetValues = (input.budget ?? []).filter((b): b is number => b !== undefined);
  const yMax = Math.max(1, ...input.bands.p90, ...history.map((h) => h.value), ...budgetValues);
  const x = scaleLinear()
    .domain([0, Math.max(1, all - 1)])
    .range([margin.left, width - margin.right]);
  const y = scaleLinear()
    .domain([0, yMax * 1.05])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const at = (i: number): number => x(history.length + i);

  const idx = input.x.map((_, i) => i);
  const band = (lo: number[], hi: number[]): string =>
    area<number>()
      .x((i) => at(i))
      .y0((i) => y(lo[i] ?? 0))
      .y1((i) => y(hi[i] ?? 0))(idx) ?? '';
  const median =
    line<number>()
      .x((i) => at(i))
      .y((i) => y(input.bands.p50[i] ?? 0))(idx) ?? '';
  const historyPath =
    history.length > 0
      ? (line<number>()
          .x((i) => x(i))
          .y((i) => y(history[i]?.value ?? 0))(history.map((_, i) => i)) ?? '')
      : '';

  const ticksY = y.ticks(6);
  const labels = [...history.map((h) => h.x), ...input.x];
  const every = Math.max(1, Math.ceil(labels.length / 8));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title chart-desc" font-family="Arial, Helvetica, sans-serif" font-size="14">`,
    `<title id="chart-title">${escapeXml(input.title)}</title>`,
    `<desc id="chart-desc">Fan chart: the shaded bands hold 80% (P10–P90) and 50% (P25–P75) of simulated outcomes; the line is the median (P50).${history.length ? ' The black line is the recorded history.' : ''}${budgetValues.length ? ' The red dashed line is the budget.' : ''}</desc>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="26" font-size="18" font-weight="bold" fill="#111111">${escapeXml(input.title)}</text>`,
  );
  parts.push('<g class="grid">');
  for (const t of ticksY) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${num(y(t))}" y2="${num(y(t))}" stroke="${COLOURS.grid}"/>`,
      `<text x="${margin.left - 8}" y="${num(y(t) + 4)}" text-anchor="end" fill="${COLOURS.axis}">${escapeXml(formatTick(t, input.money ?? false))}</text>`,
    );
  }
  parts.push('</g>');
  parts.push('<g class="x-axis">');
  const lastLabelled = Math.floor((labels.length - 1) / every) * every;
  labels.forEach((label, i) => {
    // the last point is labelled too, unless it would sit on top of the previous label
    const isLast = i === labels.length - 1 && i - lastLabelled >= every * 0.75;
    if (i % every !== 0 && !isLast) return;
    parts.push(
      `<text x="${num(x(i))}" y="${height - margin.bottom + 18}" text-anchor="middle" fill="${COLOURS.axis}">${escapeXml(label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="${COLOURS.axis}"/>`,
    `<text transform="translate(16 ${num((margin.top + height - margin.bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="${COLOURS.axis}">${escapeXml(input.yLabel)}</text>`,
    '</g>',
  );
  // Bands are drawn as data too (data-* attributes per point) so tests and scripts can read them back exactly.
  parts.push(
    `<path class="band band-p10-p90" d="${band(input.bands.p10, input.bands.p90)}" fill="${COLOURS.outer}" fill-opacity="0.6"/>`,
    `<path class="band band-p25-p75" d="${band(input.bands.p25, input.bands.p75)}" fill="${COLOURS.inner}" fill-opacity="0.6"/>`,
    `<path class="median" d="${median}" fill="none" stroke="${COLOURS.median}" stroke-width="2"/>`,
  );
  if (historyPath)
    parts.push(`<path class="history" d="${historyPath}" fill="none" stroke="${COLOURS.history}" stroke-width="1.5"/>`);
  if (input.budget && budgetValues.length) {
    const pts = input.budget
      .map((b, i) => (b === undefined ? null : { i, b }))
      .filter((p): p is { i: number; b: number } => p !== null);
    const d =
      line<{ i: number; b: number }>()
        .x((p) => at(p.i))
        .y((p) => y(p.b))(pts) ?? '';
    parts.push(
      `<path class="budget" d="${d}" fill="none" stroke="${COLOURS.budget}" stroke-width="2" stroke-dasharray="6 4"/>`,
    );
    for (const p of pts)
      parts.push(
        `<circle class="budget-point" cx="${num(at(p.i))}" cy="${num(y(p.b))}" r="3" fill="${COLOURS.budget}"/>`,
      );
  }
  parts.push('<g class="points">');
  input.x.forEach((label, i) => {
    const b = input.bands;
    parts.push(
      `<circle class="point" cx="${num(at(i))}" cy="${num(y(b.p50[i] ?? 0))}" r="${n <= 12 ? 3 : 0}" fill="${COLOURS.median}" data-x="${escapeXml(label)}" data-p10="${b.p10[i]}" data-p25="${b.p25[i]}" data-p50="${b.p50[i]}" data-p75="${b.p75[i]}" data-p90="${b.p90[i]}"/>`,
    );
  });
  parts.push('</g>');
  // legend
  const ly = height - 16;
  const legend: [string, string][] = [
    [COLOURS.outer, 'P10–P90'],
    [COLOURS.inner, 'P25–P75'],
    [COLOURS.median, 'median'],
  ];
  if (historyPath) legend.push([COLOURS.history, 'recorded']);
  if (budgetValues.length) legend.push([COLOURS.budget, 'budget']);
  legend.forEach(([colour, text], k) => {
    const lx = margin.left + k * 110;
    parts.push(
      `<rect x="${lx}" y="${ly - 10}" width="14" height="10" fill="${colour}"/>`,
      `<text x="${lx + 20}" y="${ly}" fill="${COLOURS.axis}">${escapeXml(text)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export const CHART_SERIES = [
  'total',
  'cost',
  'inHouseFoster',
  'agencyFoster',
  'kinship',
  'residential',
  'supported',
  'withParents',
  'placedForAdoption',
  'secure',
  'other',
] as const;
export type ChartSeries = (typeof CHART_SERIES)[number];

const pick = (q: Quantiles): FanBands => ({ p10: q.p10, p25: q.p25, p50: q.p50, p75: q.p75, p90: q.p90 });

/**
 * The chart of one series of a forecast: children by month for a category or the total (with recorded history when
 * given), or cost by financial year with the budget.
 */
export function forecastChart(
  result: ForecastResult,
  series: ChartSeries,
  history?: { month: string; value: number }[],
): string {
  if (series === 'cost') {
    const years = result.cost.financialYears;
    return fanChartSvg({
      title: `${result.scenarioName}: placement cost by financial year`,
      yLabel: '£ per financial year',
      x: years.map((f) => (f.partial ? `${f.label} (${f.months} mo)` : f.label)),
      bands: {
        p10: years.map((f) => f.p10),
        p25: years.map((f) => f.p25),
        p50: years.map((f) => f.p50),
        p75: years.map((f) => f.p75),
        p90: years.map((f) => f.p90),
      },
      budget: years.map((f) => f.budget),
      money: true,
    });
  }
  const label =
    series === 'total' ? 'all children in care' : isCategory(series) ? CATEGORY_LABELS[series].toLowerCase() : series;
  const first = result.months[0] ?? '';
  return fanChartSvg({
    title: `${result.scenarioName}: ${label}`,
    yLabel: 'children (end of month)',
    x: result.months,
    bands: pick(result.population[series]),
    history: (history ?? []).filter((h) => h.month < first).map((h) => ({ x: h.month, value: h.value })),
  });
}
