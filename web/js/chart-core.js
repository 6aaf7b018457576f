// Charts as self-contained SVG strings: no DOM, no imports, so the same code draws in the browser and on the server
// (functions/render/chart.ts imports it for chart.svg and the committee report). Types: chart-core.d.ts beside it.
//
// Every chart has a title, axis titles with units, a legend, ticks that read as money, counts or percentages, a
// y-range that shows the bands (from zero only where zero is near), labelled reference lines (budget, threshold,
// goal), and every piece of text placed inside the viewBox (text widths are estimated generously and labels that would
// run past an edge are anchored to it).

export const COLOURS = {
  outer: '#9ecae1',
  inner: '#4292c6',
  median: '#08306b',
  history: '#222222',
  budget: '#b30000',
  threshold: '#b35806',
  good: '#1b7837',
  bad: '#b2182b',
  axis: '#404040',
  grid: '#e0e0e0',
  text: '#1b1b1b',
};

const FONT = 'Arial, Helvetica, sans-serif';
/** generous average glyph width as a share of the font size (Arial digits 0.556, DejaVu Sans 0.636; capitals wider) */
const GLYPH = 0.66;

export function escapeXml(s) {
  // characters XML 1.0 cannot carry at all (control characters, lone surrogates) are dropped, so the SVG stays well-formed
  const clean = String(s ?? '').replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being dropped
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
  return clean.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c],
  );
}

/** estimated width of a text in pixels at a font size (bold a little wider) */
export function textWidth(text, size, bold = false) {
  return String(text).length * size * GLYPH * (bold ? 1.08 : 1);
}

const r2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 0);
const defined = (v) => v !== undefined && v !== null && Number.isFinite(v);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2018-04" → "Apr 2018"; anything else unchanged */
export function monthLabel(m) {
  const hit = /^(\d{4})-(\d{2})$/.exec(String(m));
  return hit ? `${MONTHS[Number(hit[2]) - 1]} ${hit[1]}` : String(m);
}

/** A round step (1, 2, 2.5 or 5 × a power of ten) at least `raw`. */
export function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((k) => k * pow).find((k) => k >= raw * 0.999) ?? 10 * pow;
}

/**
 * The y-range and ticks for values between lo and hi: padded, rounded to nice steps, from zero only when zero is
 * near (within a third of the top) or asked for, never below zero for values that cannot be negative.
 */
export function niceScale(lo, hi, { zero = false, format = 'count', target = 5 } = {}) {
  let min = Math.min(lo, hi);
  let max = Math.max(lo, hi);
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  const nonNegative = min >= 0;
  if (zero || (nonNegative && min < max / 3)) min = Math.min(0, min);
  const span = max - min || Math.abs(max) * 0.2 || 1;
  const pad = span * 0.06;
  max += pad;
  if (min !== 0) min -= pad;
  if (nonNegative && min < 0) min = 0;
  let step = niceStep((max - min) / target);
  if (format === 'count' && step < 1) step = 1;
  if (format === 'percent' && step < 0.01) step = 0.01;
  const lo2 = Math.floor(min / step + 1e-9) * step;
  const hi2 = Math.ceil(max / step - 1e-9) * step;
  const ticks = [];
  for (let k = 0; lo2 + k * step <= hi2 + step * 1e-6; k++) ticks.push(Number((lo2 + k * step).toPrecision(12)));
  return { min: lo2, max: hi2, step, ticks };
}

/** The screen heights of a line over [x0, x1]: at its points inside, and where it crosses each end. */
function lineYsIn(values, x, y, x0, x1) {
  const out = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!defined(v)) continue;
    const xi = x(i);
    if (xi >= x0 && xi <= x1) out.push(y(v));
    const w = values[i + 1];
    if (i + 1 < values.length && defined(w)) {
      const xj = x(i + 1);
      for (const at of [x0, x1]) if (at > xi && at < xj) out.push(y(v + ((w - v) * (at - xi)) / (xj - xi)));
    }
  }
  return out;
}

/** The decimals that write every multiple of `step` exactly: 2 → 0, 2.5 → 1 (not £18m for £17.5m), 0.25 → 2; at most 3. */
const decimalsFor = (step) => {
  for (let d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)); d < 3; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 3;
};

/** A tick's text: money as £18.5m / £750k, counts with separators, chances as whole (or tenth) percentages. */
export function formatTick(v, format, step) {
  if (format === 'percent') return `${(v * 100).toFixed(decimalsFor(step * 100))}%`;
  if (format === 'money') {
    if (v === 0) return '£0'; // not "£0m"
    const sign = v < 0 ? '−' : '';
    const a = Math.abs(v);
    const unit = Math.max(Math.abs(step), a) >= 1e6 ? 1e6 : Math.max(Math.abs(step), a) >= 1e3 ? 1e3 : 1;
    const suffix = unit === 1e6 ? 'm' : unit === 1e3 ? 'k' : '';
    return `${sign}£${(a / unit).toFixed(decimalsFor(step / unit))}${suffix}`;
  }
  return `${v < 0 ? '−' : ''}${Math.abs(v).toLocaleString('en-GB', { maximumFractionDigits: decimalsFor(step) })}`;
}

/** Money in a sentence or a label: £19.0m, £750k, £950. */
export function shortMoney(v) {
  if (!defined(v)) return '–';
  const a = Math.abs(v);
  const sign = v < 0 ? '−' : '';
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(a >= 1e8 ? 0 : 1)}m`;
  if (a >= 1e4) return `${sign}£${Math.round(a / 1e3)}k`;
  return `${sign}£${Math.round(a).toLocaleString('en-GB')}`;
}

/** Split a title into lines that fit `width` at `size` (bold). */
function wrap(text, width, size) {
  const words = String(text).split(/\s+/);
  const lines = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (cur && textWidth(next, size, true) > width) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

let serial = 0;

/**
 * Draw a chart. spec:
 *   title, desc?, id?, testid?, width (800), height (420), fontSize (14)
 *   x: { labels: string[], title }
 *   y: { title, format: 'money' | 'count' | 'percent', zero?: boolean }
 *   bands?: [{ lo, hi, label, colour, className? }]          (arrays by x; null where absent)
 *   lines?: [{ values, label, colour, width?, dash?, className?, points?: { className, data?: object[] } }]
 *   refs?:  [{ values, label, colour, className?, pointClass?, tag? }]  dashed, labelled at its last point (tag)
 *   bars?:  { items: [{ mean, lo, hi }], label, rangeLabel }   (means as bars from zero, P10–P90 whiskers)
 */
export function chartSvg(spec) {
  const W = spec.width ?? 800;
  const H = spec.height ?? 420;
  const fs = spec.fontSize ?? 14;
  const id = spec.id ?? `chart-${++serial}`;
  const labels = spec.x.labels;
  const n = labels.length;
  const format = spec.y.format ?? 'count';
  const bands = spec.bands ?? [];
  const lines = spec.lines ?? [];
  const refs = spec.refs ?? [];
  const bars = spec.bars;

  // y-range over everything drawn
  const vals = [
    ...bands.flatMap((b) => [...b.lo, ...b.hi]),
    ...lines.flatMap((l) => l.values),
    ...refs.flatMap((r) => r.values),
    ...(bars ? bars.items.flatMap((b) => [b.mean, b.lo, b.hi, 0]) : []),
  ].filter(defined);
  const scale = niceScale(Math.min(...vals), Math.max(...vals), {
    zero: spec.y.zero || !!bars,
    format,
  });
  const tickText = scale.ticks.map((t) => formatTick(t, format, scale.step));

  // top: title lines, then the legend in rows
  const titleSize = Math.round(fs * 1.25);
  const titleLines = wrap(spec.title, W - 24, titleSize);
  const legendItems = [
    ...bands.map((b) => ({ kind: 'band', colour: b.colour, label: b.label })),
    ...lines.filter((l) => l.label).map((l) => ({ kind: 'line', colour: l.colour, dash: l.dash, label: l.label })),
    ...refs.map((r) => ({ kind: 'ref', colour: r.colour, label: r.label })),
    ...(bars
      ? [
          { kind: 'band', colour: COLOURS.inner, label: bars.label },
          { kind: 'whisker', colour: COLOURS.median, label: bars.rangeLabel },
        ]
      : []),
  ];
  const legendRows = [];
  let row = [];
  let rowWidth = 0;
  for (const item of legendItems) {
    const w = 30 + textWidth(item.label, fs) + 18;
    if (row.length && rowWidth + w > W - 24) {
      legendRows.push(row);
      row = [];
      rowWidth = 0;
    }
    row.push({ ...item, w });
    rowWidth += w;
  }
  if (row.length) legendRows.push(row);
  const lineH = fs * 1.5;
  const titleTop = titleSize * 1.3;
  const legendTop = titleTop + (titleLines.length - 1) * titleSize * 1.2 + lineH * 0.9;
  const m = {
    top: legendTop + legendRows.length * lineH + fs * 0.6,
    right: 16,
    bottom: fs * 1.3 + 8 + fs * 1.3 + 8,
    left: 8 + fs * 1.3 + 14 + Math.max(...tickText.map((t) => textWidth(t, fs))),
  };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const centred = !!bars || n <= 12;
  const x = (i) =>
    centred ? m.left + ((i + 0.5) * plotW) / Math.max(1, n) : m.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v) => m.top + plotH - ((v - scale.min) / (scale.max - scale.min || 1)) * plotH;

  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT}" font-size="${fs}"${spec.testid ? ` data-testid="${escapeXml(spec.testid)}"` : ''} class="chart-svg">`,
    `<title id="${id}-title">${escapeXml(spec.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(spec.desc ?? '')}</desc>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
  );
  titleLines.forEach((t, k) =>
    out.push(
      `<text class="chart-title" x="12" y="${r2(titleTop + k * titleSize * 1.2)}" font-size="${titleSize}" font-weight="bold" fill="${COLOURS.text}">${escapeXml(t)}</text>`,
    ),
  );
  // legend
  out.push('<g class="legend">');
  legendRows.forEach((items, k) => {
    let lx = 12;
    const ly = legendTop + k * lineH;
    for (const item of items) {
      if (item.kind === 'band')
        out.push(
          `<rect x="${r2(lx)}" y="${r2(ly - fs * 0.75)}" width="22" height="${r2(fs * 0.8)}" fill="${item.colour}"/>`,
        );
      else if (item.kind === 'whisker')
        out.push(
          `<line x1="${r2(lx + 11)}" x2="${r2(lx + 11)}" y1="${r2(ly - fs * 0.9)}" y2="${r2(ly + 2)}" stroke="${item.colour}" stroke-width="2"/>`,
          `<line x1="${r2(lx + 5)}" x2="${r2(lx + 17)}" y1="${r2(ly - fs * 0.9)}" y2="${r2(ly - fs * 0.9)}" stroke="${item.colour}" stroke-width="2"/>`,
          `<line x1="${r2(lx + 5)}" x2="${r2(lx + 17)}" y1="${r2(ly + 2)}" y2="${r2(ly + 2)}" stroke="${item.colour}" stroke-width="2"/>`,
        );
      else
        out.push(
          `<line x1="${r2(lx)}" x2="${r2(lx + 22)}" y1="${r2(ly - fs * 0.35)}" y2="${r2(ly - fs * 0.35)}" stroke="${item.colour}" stroke-width="${item.kind === 'ref' ? 2.5 : 2.5}"${item.kind === 'ref' || item.dash ? ` stroke-dasharray="${item.dash ?? '6 4'}"` : ''}/>`,
        );
      out.push(`<text x="${r2(lx + 30)}" y="${r2(ly)}" fill="${COLOURS.text}">${escapeXml(item.label)}</text>`);
      lx += item.w;
    }
  });
  out.push('</g>');

  // y grid and ticks
  out.push('<g class="y-axis">');
  scale.ticks.forEach((t, k) => {
    out.push(
      `<line x1="${r2(m.left)}" x2="${r2(W - m.right)}" y1="${r2(y(t))}" y2="${r2(y(t))}" stroke="${COLOURS.grid}"/>`,
      `<text class="tick" x="${r2(m.left - 8)}" y="${r2(y(t) + fs * 0.35)}" text-anchor="end" fill="${COLOURS.axis}">${escapeXml(tickText[k])}</text>`,
    );
  });
  out.push(
    `<text class="axis-title" transform="translate(${r2(8 + fs)} ${r2(m.top + plotH / 2)}) rotate(-90)" text-anchor="middle" fill="${COLOURS.axis}">${escapeXml(spec.y.title)}</text>`,
    '</g>',
  );

  // x labels: as many as fit, evenly spaced, each kept inside the viewBox
  out.push('<g class="x-axis">');
  const widest = Math.max(1, ...labels.map((l) => textWidth(l, fs)));
  const spacing = n <= 1 ? plotW : centred ? plotW / n : plotW / (n - 1);
  const need = Math.ceil((widest + 14) / spacing);
  const every = [1, 2, 3, 4, 6, 12, 24, 36, 48, 60].find((k) => k >= need) ?? need;
  labels.forEach((l, i) => {
    if (i % every !== 0) return;
    const w = textWidth(l, fs);
    let anchor = 'middle';
    let tx = x(i);
    if (tx + w / 2 > W - 4) {
      anchor = 'end';
      tx = Math.min(tx, W - 4);
    } else if (tx - w / 2 < 4) {
      anchor = 'start';
      tx = Math.max(tx, 4);
    }
    out.push(
      `<text class="tick" x="${r2(tx)}" y="${r2(H - m.bottom + fs * 1.3)}" text-anchor="${anchor}" fill="${COLOURS.axis}">${escapeXml(l)}</text>`,
    );
  });
  out.push(
    `<line x1="${r2(m.left)}" x2="${r2(W - m.right)}" y1="${r2(m.top + plotH)}" y2="${r2(m.top + plotH)}" stroke="${COLOURS.axis}"/>`,
    `<text class="axis-title" x="${r2(m.left + plotW / 2)}" y="${r2(H - 8)}" text-anchor="middle" fill="${COLOURS.axis}">${escapeXml(spec.x.title)}</text>`,
    '</g>',
  );

  // bands as closed areas over the points where both edges are defined (contiguous)
  for (const b of bands) {
    const idx = labels.map((_, i) => i).filter((i) => defined(b.lo[i]) && defined(b.hi[i]));
    if (!idx.length) continue;
    const top = idx.map((i) => `${r2(x(i))},${r2(y(b.hi[i]))}`);
    const bottom = [...idx].reverse().map((i) => `${r2(x(i))},${r2(y(b.lo[i]))}`);
    out.push(
      `<path class="band${b.className ? ` ${b.className}` : ''}" d="M${[...top, ...bottom].join('L')}Z" fill="${b.colour}" fill-opacity="${b.opacity ?? 0.75}"/>`,
    );
  }

  // bars with whiskers
  if (bars) {
    const bw = (plotW / Math.max(1, n)) * 0.5;
    bars.items.forEach((b, i) => {
      const top = y(Math.max(0, b.mean));
      const h = Math.abs(y(b.mean) - y(0));
      out.push(
        `<g class="bar"><rect x="${r2(x(i) - bw / 2)}" y="${r2(top)}" width="${r2(bw)}" height="${r2(Math.max(1, h))}" fill="${b.mean >= 0 ? COLOURS.inner : '#d6604d'}"/>`,
        `<line x1="${r2(x(i))}" x2="${r2(x(i))}" y1="${r2(y(b.lo))}" y2="${r2(y(b.hi))}" stroke="${COLOURS.median}" stroke-width="2"/>`,
        `<line x1="${r2(x(i) - 7)}" x2="${r2(x(i) + 7)}" y1="${r2(y(b.lo))}" y2="${r2(y(b.lo))}" stroke="${COLOURS.median}" stroke-width="2"/>`,
        `<line x1="${r2(x(i) - 7)}" x2="${r2(x(i) + 7)}" y1="${r2(y(b.hi))}" y2="${r2(y(b.hi))}" stroke="${COLOURS.median}" stroke-width="2"/></g>`,
      );
    });
    out.push(
      `<line x1="${r2(m.left)}" x2="${r2(W - m.right)}" y1="${r2(y(0))}" y2="${r2(y(0))}" stroke="${COLOURS.axis}"/>`,
    );
  }

  const pathOf = (values) => {
    let d = '';
    let pen = false;
    values.forEach((v, i) => {
      if (!defined(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${r2(x(i))},${r2(y(v))}`;
      pen = true;
    });
    return d;
  };

  for (const l of lines) {
    const d = pathOf(l.values);
    if (d)
      out.push(
        `<path class="${l.className ?? 'line'}" d="${d}" fill="none" stroke="${l.colour}" stroke-width="${l.width ?? 2}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
      );
    if (l.points) {
      out.push(`<g class="${l.points.className}s">`);
      l.values.forEach((v, i) => {
        if (!defined(v)) return;
        const data = l.points.data?.[i] ?? {};
        const attrs = Object.entries(data)
          .map(([k, dv]) => ` data-${k}="${escapeXml(dv)}"`)
          .join('');
        out.push(
          `<circle class="${l.points.className}" cx="${r2(x(i))}" cy="${r2(y(v))}" r="${n <= 12 ? 3.5 : 0}" fill="${l.colour}"${attrs}/>`,
        );
      });
      out.push('</g>');
    }
  }

  // reference lines (budget, threshold, goal): dashed, points where set, a label at the last point
  for (const r of refs) {
    const d = pathOf(r.values);
    if (!d) continue;
    const pts = r.values.map((v, i) => [i, v]).filter(([, v]) => defined(v));
    const single = pts.length === 1;
    const path = single
      ? `M${r2(x(pts[0][0]) - Math.min(40, plotW / n / 2))},${r2(y(pts[0][1]))}L${r2(x(pts[0][0]) + Math.min(40, plotW / n / 2))},${r2(y(pts[0][1]))}`
      : d;
    out.push(
      `<path class="${r.className ?? 'ref'}" d="${path}" fill="none" stroke="${r.colour}" stroke-width="2.5" stroke-dasharray="7 4"/>`,
    );
    if (r.pointClass)
      for (const [i, v] of pts)
        out.push(`<circle class="${r.pointClass}" cx="${r2(x(i))}" cy="${r2(y(v))}" r="3.5" fill="${r.colour}"/>`);
    const [li, lv] = pts[pts.length - 1];
    const tag = r.tag ?? r.label;
    const tw = textWidth(tag, fs, true);
    let lx = x(li) + 6;
    let anchor = 'start';
    if (lx + tw > W - 4) {
      lx = x(li) - 6;
      anchor = 'end';
    }
    let ly = y(lv) - 7;
    if (ly - fs < m.top) ly = y(lv) + fs + 4;
    // a line running through the label above (a search's curve ending just over its goal): put it below instead
    const [x0, x1] = anchor === 'start' ? [lx, lx + tw] : [lx - tw, lx];
    const crosses = (top) =>
      lines.some((l) => lineYsIn(l.values, x, y, x0, x1).some((ly2) => ly2 > top - fs && ly2 < top + 3));
    const below = y(lv) + fs + 4;
    if (crosses(ly) && below <= m.top + plotH && !crosses(below)) ly = below;
    out.push(
      `<text class="ref-label${r.className ? ` ${r.className}-label` : ''}" x="${r2(lx)}" y="${r2(ly)}" text-anchor="${anchor}" font-weight="bold" fill="${r.colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(tag)}</text>`,
    );
  }

  // bar labels under the axis come from x.labels above; nothing else to draw
  out.push('</svg>');
  return out.join('\n');
}

/**
 * The numbers behind a chart as an HTML table (the same spec): one row per x label, a column per band edge, line
 * and reference line, formatted as the chart's axis is.
 */
export function chartTableHtml(spec, caption) {
  const format = spec.y.format ?? 'count';
  const fmt = (v) => {
    if (!defined(v)) return '–';
    if (format === 'money') return `£${Math.round(v).toLocaleString('en-GB')}`;
    if (format === 'percent') return `${(v * 100).toFixed(1)}%`;
    return v.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  };
  const cols = [
    ...(spec.bands ?? []).flatMap((b) => [
      [`${b.label}: low`, b.lo],
      [`${b.label}: high`, b.hi],
    ]),
    ...(spec.lines ?? []).map((l) => [l.label ?? '', l.values]),
    ...(spec.refs ?? []).map((r) => [r.label, r.values]),
    ...(spec.bars
      ? [
          [spec.bars.label, spec.bars.items.map((b) => b.mean)],
          [`${spec.bars.rangeLabel}: low`, spec.bars.items.map((b) => b.lo)],
          [`${spec.bars.rangeLabel}: high`, spec.bars.items.map((b) => b.hi)],
        ]
      : []),
    ...(spec.extraColumns ?? []).map(([h, vs]) => [h, vs, true]),
  ];
  const head = `<tr><th scope="col">${escapeXml(spec.x.title)}</th>${cols.map(([h]) => `<th scope="col">${escapeXml(h)}</th>`).join('')}</tr>`;
  const body = spec.x.labels
    .map(
      (l, i) =>
        `<tr><th scope="row">${escapeXml(l)}</th>${cols.map(([, vs, raw]) => `<td>${escapeXml(raw ? (vs[i] ?? '–') : fmt(vs[i]))}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table class="chart-table"><caption>${escapeXml(caption ?? spec.title)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The budget as a chart's reference line (dashed, "Budget" at its end, a point per value). */
export function budgetRef(values) {
  return {
    label: 'Budget',
    tag: 'Budget',
    values,
    colour: COLOURS.budget,
    className: 'budget',
    pointClass: 'budget-point',
  };
}

/**
 * A fan chart spec from quantile bands (P10–P90, P25–P75, median), with optional recorded history before the forecast
 * and a reference line (budget or threshold) per forecast point.
 */
export function fanSpec({
  title,
  desc,
  id,
  testid,
  labels,
  xTitle,
  yTitle,
  format,
  q,
  history,
  ref,
  width,
  height,
  fontSize,
  zero,
}) {
  const h = history ?? [];
  const pad = (arr) => [...h.map(() => null), ...arr];
  const all = [...h.map((p) => p.x), ...labels];
  const points = labels.map((label, i) => ({
    x: label,
    p10: q.p10[i],
    p25: q.p25[i],
    p50: q.p50[i],
    p75: q.p75[i],
    p90: q.p90[i],
  }));
  return {
    title,
    desc:
      desc ??
      `Fan chart: the light band holds 8 in 10 simulated futures (P10–P90), the dark band half of them (P25–P75), the line is the median (P50).${h.length ? ' The black line is the recorded history.' : ''}${ref ? ` The dashed line is the ${ref.label.toLowerCase()}.` : ''}`,
    id,
    testid,
    width,
    height,
    fontSize,
    x: { labels: all, title: xTitle },
    y: { title: yTitle, format, zero },
    bands: [
      { lo: pad(q.p10), hi: pad(q.p90), label: 'P10–P90 (8 in 10)', colour: COLOURS.outer, className: 'band-p10-p90' },
      { lo: pad(q.p25), hi: pad(q.p75), label: 'P25–P75 (half)', colour: COLOURS.inner, className: 'band-p25-p75' },
    ],
    lines: [
      ...(h.length
        ? [
            {
              values: [...h.map((p) => p.value), ...labels.map(() => null)],
              label: 'Recorded',
              colour: COLOURS.history,
              width: 2,
              className: 'history',
            },
          ]
        : []),
      {
        values: pad(q.p50),
        label: 'Median (P50)',
        colour: COLOURS.median,
        width: 2.5,
        className: 'median',
        points: { className: 'point', data: [...h.map(() => ({})), ...points] },
      },
    ],
    refs: ref ? [{ ...ref, values: pad(ref.values) }] : [],
  };
}
