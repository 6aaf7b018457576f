// Formatting for people: money, counts, percentages, dates with their zone, and HTML escaping. No DOM, no network.

const missing = (x) => x === undefined || x === null || Number.isNaN(x);
export const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
export const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
export const one = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
/**
 * whole pounds with separators: £18,337,792; a loss with a true minus sign, as in the charts: −£8,459,464. Halves round
 * away from zero (as Intl and Excel do), so −£0.50 is −£1, not £1; less than half a pound either way is £0.
 */
export const money = (x) =>
  missing(x) ? '–' : x < 0 && Math.round(-x) > 0 ? `−${gbp.format(-x)}` : gbp.format(Math.abs(x));
/** a change in whole pounds, always signed: +£605,507, −£980,857, £0 */
export const signedMoney = (x) => (missing(x) ? '–' : Math.round(x) > 0 ? `+${money(x)}` : money(x));
export const count = (x) => (missing(x) ? '–' : one.format(x));
export const pct = (x) => (missing(x) ? '–' : `${Math.round(x * 100)}%`);
/** one decimal: to tell apart values either side of a goal that round to the same whole percent */
export const pct1 = (x) => (missing(x) ? '–' : `${(x * 100).toFixed(1)}%`);

/** Money in a sentence: £19.0m, £750k, £9,500 (never "£0k"). */
export const shortMoney = (v) => {
  if (missing(v)) return '–';
  const sign = v < 0 ? '−' : '';
  const a = Math.abs(v);
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(1)}m`;
  if (a >= 1e4) return `${sign}£${Math.round(a / 1e3)}k`;
  return `${sign}£${int.format(Math.round(a))}`;
};

/** Millions with two decimals, thousands, or whole pounds: ranges under a figure stay on one line. */
export const compactMoney = (v) => {
  if (missing(v)) return '–';
  const a = Math.abs(v);
  const sign = v < 0 ? '−' : '';
  if (a >= 1e6) return `${sign}£${(a / 1e6).toFixed(2)}m`;
  if (a >= 1e4) return `${sign}£${Math.round(a / 1e3)}k`;
  return `${sign}£${int.format(Math.round(a))}`;
};

/** "£17.3m to £20.8m", or "about £0" when both ends round to nothing */
export const moneyRange = (a, b) => `${compactMoney(a)} to ${compactMoney(b)}`;

const when = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
/** An ISO time in the reader's own time zone, with the zone named: "6 Dec 2026, 23:41 GMT". */
export const localTime = (iso) => {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : when.format(d);
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** "2018-04" → "April 2018" */
export const longMonth = (m) => {
  const hit = /^(\d{4})-(\d{2})/.exec(String(m ?? ''));
  return hit ? `${MONTHS[Number(hit[2]) - 1]} ${hit[1]}` : String(m ?? '–');
};

/** The financial year (April to March) holding a date or month: "2019-05" → "2019/20". */
export function financialYearOf(dateOrMonth) {
  const [y, m] = String(dateOrMonth).split('-').map(Number);
  const start = m >= 4 ? y : y - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** Months of a financial year label: "2019/20" → "2019-04" … "2020-03". */
export function monthsOfYear(label) {
  const start = Number(String(label).slice(0, 4));
  return Array.from({ length: 12 }, (_, k) => {
    const y = start + Math.floor((3 + k) / 12);
    return `${y}-${String(((3 + k) % 12) + 1).padStart(2, '0')}`;
  });
}

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

const sig3 = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });
const pctSig3 = new Intl.NumberFormat('en-GB', { style: 'percent', maximumSignificantDigits: 3 });
/** An input's number as typed, readable: whole numbers from 100 up (49,000), else three significant figures (0.08, 1.5). */
export const amount = (x) => (missing(x) ? '–' : Math.abs(x) >= 100 ? int.format(x) : sig3.format(x));
/** An input's probability or share, to three significant figures: 0.0007 → 0.07%, 0.015 → 1.5%, 0.1 → 10%. */
export const pctInput = (x) => (missing(x) ? '–' : pctSig3.format(x));
