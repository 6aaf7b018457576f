// Formatting for people: money, counts, percentages, and HTML escaping. No DOM, no network.

export const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
export const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
export const one = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
export const money = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : gbp.format(x));
export const count = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : one.format(x));
export const pct = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : `${Math.round(x * 100)}%`);
/** one decimal: to tell apart values either side of a goal that round to the same whole percent */
export const pct1 = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);
export const shortMoney = (v) => {
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(a >= 1e7 ? 0 : 1).replace(/\.0$/, '')}m`;
  if (a >= 1e3) return `${sign}£${Math.round(a / 1e3)}k`;
  return `${sign}£${Math.round(a)}`;
};

/** Round tick values (1, 2 or 5 × a power of ten) from 0 to at least max. */
export function niceTicks(max, count = 5) {
  const raw = Math.max(max, 1e-9) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * pow).find((k) => k >= raw) ?? 10 * pow;
  const ticks = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(v);
  return ticks;
}

/** Millions with two decimals: ranges under a figure stay on one line. */
export const compactMoney = (v) => {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  return a >= 1e6 ? `${sign}£${(a / 1e6).toFixed(2)}m` : `${sign}£${Math.round(a / 1e3)}k`;
};

export function esc(s) {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

export const LABELS = {
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
