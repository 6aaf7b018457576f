// Plain-English names and units of a scenario's inputs, and their values as a committee paper prints them: one table,
// used by the Word report and the Excel inputs sheet (functions/render/inputs.ts) and by the dashboard's inputs and
// warnings (tables.js). Types: input-labels.d.ts beside it. An input with no entry here still shows, under its path.
import { amount, int, LABELS, longMonth, money, pctInput } from './format.js';

/** the words of an age band inside a label */
const BANDS = { 0: 'under 1', '1-4': 'aged 1–4', '5-9': 'aged 5–9', '10-15': 'aged 10–15', '16-17': 'aged 16–17' };
const place = (k) => (LABELS[k] ?? k).toLowerCase();
const nth = (i) => `${Number(i) + 1}`;

/**
 * One row per input or family of inputs, in the order a reader wants them (the Word report lists the first ones).
 * A pattern is a dotted path whose `{…}` parts stand for one part of the real path: {band} an age band, {cat} and {to}
 * a placement, {i} a position in a list, {fy} a financial year, {k} anything. Units:
 *   week / day / gbp  money (£ a week, £ a day, £), count  a whole number, number  as given (0.5, 1.6, 49,000),
 *   pct  a probability or share as a percentage, month  "April 2018", date  "1 July 2016", bool  yes/no,
 *   text  as given, id  digits without separators (a seed), path  another input's path (its label).
 */
const TABLE = [
  ['name', 'Scenario name', 'text'],
  ['council.name', 'Council', 'text'],
  ['council.code', 'Council code', 'text'],
  ['council.version', 'Council profile version', 'count'],
  ['start', 'First month of the forecast', 'month'],
  ['horizonMonths', 'Months forecast', 'count'],
  ['runs', 'Simulated futures', 'count'],
  ['seed', 'Random seed (repeats the run exactly)', 'id'],
  ['initial', 'Children in care at the start', 'text'],
  ['initial.children', 'Children in care at the start', 'count'],
  ['childPopulation', 'Child population', 'text'],
  ['childPopulation.base', 'Children aged 0–17 in the area', 'count'],
  ['childPopulation.annualGrowth', 'Growth of the child population, a year', 'pct'],
  ['entries.multiplier', 'Entries multiplier (1 = the estimated rate)', 'number'],
  ['capacity', 'In-house fostering capacity', 'text'],
  ['capacity.inHouseHouseholds', 'In-house foster households at the start', 'count'],
  ['capacity.placesPerHousehold', 'Places per in-house foster household', 'number'],
  ['capacity.recruitmentPerYear', 'New in-house foster households a year', 'number'],
  ['capacity.householdLossPerYear', 'In-house foster households lost a year (share)', 'pct'],
  [
    'capacity.stepAcrossProbability',
    'Chance a month that a child in agency fostering moves to a free in-house place',
    'pct',
  ],
  ['capacity.agencyAvailability', 'Chance an agency foster place is found when no in-house place is free', 'pct'],
  ['costs', 'Costs', 'text'],
  ['costs.weekly.{cat}', ({ cat }) => `Weekly cost, ${place(cat)} (£ a week)`, 'week'],
  ['costs.priceBase', 'Month the weekly costs are priced at', 'month'],
  ['costs.annualInflation', 'Inflation of placement costs, a year', 'pct'],
  ['costs.inflationByCategory.{cat}', ({ cat }) => `Inflation of placement costs, ${place(cat)}, a year`, 'pct'],
  ['budgets', 'Budgets', 'text'],
  ['budgets.{fy}', ({ fy }) => `Budget ${fy} (£)`, 'gbp'],
  ['stayingPut', 'Staying Put', 'text'],
  ['stayingPut.share', 'Share of young people in foster care at 18 who Stay Put', 'pct'],
  ['stayingPut.months', 'Months Staying Put', 'count'],
  ['stayingPut.weekly', 'Weekly cost of Staying Put (£ a week)', 'week'],
  ['stayingPut.fromAgency', 'Staying Put with agency foster carers too', 'bool'],
  ['uasc', 'UASC (unaccompanied asylum-seeking children)', 'text'],
  ['uasc.initial', 'UASC in care at the start', 'count'],
  ['uasc.transfersPerMonthWhenOnRota', 'UASC transfers a month while on the rota', 'number'],
  ['uasc.spontaneousPerMonth', 'UASC arriving directly (not transferred) a month', 'number'],
  ['uasc.thresholds', 'National Transfer Scheme thresholds (UASC as a share of all children)', 'pct'],
  [
    'uasc.thresholds.{i}.rate',
    ({ i }) => `National Transfer Scheme threshold ${nth(i)} (UASC as a share of all children)`,
    'pct',
  ],
  ['uasc.thresholds.{i}.from', ({ i }) => `National Transfer Scheme threshold ${nth(i)}: in force from`, 'date'],
  ['uasc.arrivalAge', 'Ages of arriving UASC (share at each age)', 'pct'],
  ['uasc.arrivalAge.{k}', ({ k }) => `Share of arriving UASC aged ${k}`, 'pct'],
  ['uasc.arrivalPlacement', 'First placements of arriving UASC (share in each)', 'pct'],
  ['uasc.arrivalPlacement.{cat}', ({ cat }) => `Share of arriving UASC placed in ${place(cat)}`, 'pct'],
  ['uascGrant', 'UASC grant income', 'text'],
  ['uascGrant.rates', 'UASC grant rates (£ a day)', 'day'],
  ['uascGrant.rates.{i}.from', ({ i }) => `UASC grant rate ${nth(i)}: in force from`, 'date'],
  ['uascGrant.rates.{i}.dailyUnder16', ({ i }) => `UASC grant rate ${nth(i)}, under 16 (£ a day)`, 'day'],
  ['uascGrant.rates.{i}.daily16to17', ({ i }) => `UASC grant rate ${nth(i)}, aged 16–17 (£ a day)`, 'day'],
  [
    'uascGrant.rates.{i}.higher.share',
    ({ i }) => `UASC grant rate ${nth(i)}: higher rate from UASC as a share of all children`,
    'pct',
  ],
  ['uascGrant.rates.{i}.higher.daily', ({ i }) => `UASC grant rate ${nth(i)}, higher rate (£ a day)`, 'day'],
  ['uncertainty.parameters', 'Rates drawn from their estimated uncertainty', 'bool'],
  ['uncertainty.drift', 'Entry rate allowed to drift', 'bool'],
  ['uncertainty.exitDrift', 'Exit rates allowed to drift', 'bool'],
  ['uncertainty.groups', 'Siblings enter together', 'bool'],
  ['parameters', 'Rates of entering care, moving and leaving care', 'text'],
  ['parameters.entryDrift.sdPerYear', 'Year-to-year drift of the entry rate (sd of its log, a year)', 'number'],
  ['parameters.entryDrift.se', 'Standard error of the entry drift', 'number'],
  ['parameters.entryDrift.basis', 'Basis of the entry drift', 'text'],
  ['parameters.exitDrift.sdPerYear', 'Year-to-year drift of the exit rates (sd of its log, a year)', 'number'],
  ['parameters.exitDrift.se', 'Standard error of the exit drift', 'number'],
  ['parameters.exitDrift.basis', 'Basis of the exit drift', 'text'],
  [
    'parameters.entryGroups.sizes.{k}',
    ({ k }) => (k === '1' ? 'Share of entries of a single child' : `Share of entries of ${k} siblings together`),
    'pct',
  ],
  ['parameters.entryGroups.basis', 'Basis of the sibling groups', 'text'],
  [
    'parameters.entriesPerMonth.{band}.{cat}',
    ({ band, cat }) => `Children entering care a month: ${BANDS[band]}, ${place(cat)}`,
    'number',
  ],
  [
    'parameters.exitProbability.{band}.{cat}',
    ({ band, cat }) => `Chance a month of leaving care: ${BANDS[band]}, ${place(cat)}`,
    'pct',
  ],
  [
    'parameters.moveProbability.{band}.{cat}.{to}',
    ({ band, cat, to }) => `Chance a month of moving: ${BANDS[band]}, ${place(cat)} to ${place(to)}`,
    'pct',
  ],
  ['parameters.evidence.entryMonths', 'Evidence, months of entries counted', 'number'],
  [
    'parameters.evidence.exposureMonths.{band}.{cat}',
    ({ band, cat }) => `Evidence, child-months in care: ${BANDS[band]}, ${place(cat)}`,
    'number',
  ],
  [
    'parameters.evidence.entries.{band}.{cat}',
    ({ band, cat }) => `Evidence, entries counted: ${BANDS[band]}, ${place(cat)}`,
    'number',
  ],
  [
    'parameters.evidence.exits.{band}.{cat}',
    ({ band, cat }) => `Evidence, exits counted: ${BANDS[band]}, ${place(cat)}`,
    'number',
  ],
  [
    'parameters.evidence.moves.{band}.{cat}.{to}',
    ({ band, cat, to }) => `Evidence, moves counted: ${BANDS[band]}, ${place(cat)} to ${place(to)}`,
    'number',
  ],
  // a regional forecast's own inputs (models/region/schema.ts)
  ['nts', 'National Transfer Scheme regional rota', 'text'],
  ['nts.regionalTransfersPerMonth', 'UASC transfers to the region a month (regional rota)', 'number'],
  ['nts.rule', 'How the region places its transfers', 'text'],
  ['shared', 'Places the region commissions together', 'text'],
  ['shared.residentialBeds', 'Shared residential beds', 'count'],
  ['shared.weeklyCost', 'Weekly cost of a shared residential bed, occupied or not (£ a week)', 'week'],
  ['shared.fosterHouseholds', 'Shared foster households at the start', 'count'],
  ['shared.fosterPlacesPerHousehold', 'Places per shared foster household', 'number'],
  ['shared.fosterRecruitmentPerYear', 'New shared foster households a year', 'number'],
  ['shared.fosterHouseholdLossPerYear', 'Shared foster households lost a year (share)', 'pct'],
  ['shared.fosterWeeklyCost', 'Weekly cost of a shared foster place, occupied or not (£ a week)', 'week'],
  ['notes', 'Notes from setting up the scenario (listed with the warnings)', 'text'],
  ['notes.{i}', ({ i }) => `Note ${nth(i)} from setting up the scenario`, 'text'],
  // a comparison's own settings (the Excel inputs sheet of a comparison)
  ['comparison.sweep.path', 'Input the comparison varies', 'path'],
  ['comparison.sweep.values.{i}', ({ i }) => `Value compared ${nth(i)}`, 'number'],
  ['comparison.variants.{i}.name', ({ i }) => `Variant ${nth(i)}: name`, 'text'],
].map(([pattern, label, unit], order) => ({ parts: pattern.split('.'), label, unit, order }));

const SLOT = {
  '{band}': (s) => Object.hasOwn(BANDS, s),
  '{cat}': (s) => Object.hasOwn(LABELS, s) && s !== 'total',
  '{to}': (s) => Object.hasOwn(LABELS, s) && s !== 'total',
  '{i}': (s) => /^\d+$/.test(s),
  '{fy}': (s) => /^\d{4}\/\d{2}$/.test(s),
  '{k}': () => true,
};

/** a member council's input in a regional base: `councils.<code>.<its path>` */
const MEMBER_PATH = /^councils\.([A-Za-z0-9]+)\.(.+)$/;

function lookup(path) {
  // a comparison's named variant changes inputs of the scenario: each by its own label
  const variant = /^comparison\.variants\.(\d+)\.overrides\.(.+)$/.exec(String(path));
  if (variant) {
    const inner = lookup(variant[2]);
    return inner && { ...inner, label: `Variant ${nth(variant[1])}: ${inner.label}` };
  }
  // one member council's input in a regional base (`councils.E06000031.capacity.recruitmentPerYear`)
  const member = MEMBER_PATH.exec(String(path));
  if (member) {
    const inner = lookup(member[2]);
    return inner && { ...inner, label: `${member[1]}: ${inner.label}` };
  }
  const segs = String(path).split('.');
  for (const row of TABLE) {
    if (row.parts.length !== segs.length) continue;
    const at = {};
    let ok = true;
    for (let j = 0; j < segs.length && ok; j++) {
      const p = row.parts[j];
      if (p.startsWith('{')) {
        ok = SLOT[p](segs[j]);
        at[p.slice(1, -1)] = segs[j];
      } else ok = p === segs[j];
    }
    if (ok)
      return { label: typeof row.label === 'function' ? row.label(at) : row.label, unit: row.unit, order: row.order };
  }
  return undefined;
}

/** The plain name of an input, its unit and its place in the reading order; the path itself when it has none. */
export function inputLabel(path) {
  const hit = lookup(path);
  return hit ? { ...hit, known: true } : { label: String(path), unit: undefined, order: TABLE.length, known: false };
}

/** The input the dashboard's Compare and Find a target forms move: their words speak of targets, a number a year. */
export const RECRUITMENT = 'capacity.recruitmentPerYear';

/** The plain name of the input at `path` (an axis title, "Searching …"): its path when it has none. */
export const parameterLabel = (path) => inputLabel(path).label;

const pctWords = (v) => `${Math.round(v * 1000) / 10}%`;
/** the inputs a committee sweeps most, in the words of a variant's name */
const SWEEP_PHRASES = {
  'capacity.recruitmentPerYear': (v) => `${v} new carer households a year`,
  'capacity.inHouseHouseholds': (v) => `${v} in-house carer households`,
  'capacity.placesPerHousehold': (v) => `${v} places per household`,
  'capacity.householdLossPerYear': (v) => `${pctWords(v)} of households leave a year`,
  'capacity.agencyAvailability': (v) => `agency places found for ${pctWords(v)} of overflow`,
  'entries.multiplier': (v) => `entries × ${v}`,
  'costs.annualInflation': (v) => `inflation ${pctWords(v)} a year`,
};

/**
 * The name of one variant of a sweep (`path` set to `value`): plain words for the inputs swept most ("24 new carer
 * households a year"), else the input's name and the value as a paper prints it ("Weekly cost, residential (£ a
 * week): £4,500"); a member council's input in a regional base starts with its code. An input with no name here:
 * "path = value".
 */
export function sweepName(path, value) {
  const p = String(path);
  const member = MEMBER_PATH.exec(p);
  if (member) return `${member[1]}: ${sweepName(member[2], value)}`;
  if (Object.hasOwn(SWEEP_PHRASES, p)) return SWEEP_PHRASES[p](value);
  const { label, known } = inputLabel(p);
  return known ? `${label}: ${formatInput(p, value)}` : `${p} = ${value}`;
}

/**
 * The x-axis title of a chart of savings by variant: a sweep has a value per bar, under the swept input's plain name
 * (`path`); named variants (e.g. a regional plan) are just variants. One wording for the dashboard and the committee
 * report.
 */
export function savingAxisTitle(variants, path) {
  return path && variants.length && variants.every((v) => v.value !== undefined) ? parameterLabel(path) : 'Variant';
}

/** A bar's label on that axis: the swept value as a paper prints it (£4,500, 85%, 24), else the variant's name. */
export function savingBarLabel(v, path) {
  return v.value !== undefined && path ? formatInput(path, v.value) : String(v.value ?? v.name);
}

/** A range given for an uncertain input: {min, mode, max} (triangular) or {p10, p90}. */
export const isRange = (v) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  (('min' in v && 'mode' in v && 'max' in v) || ('p10' in v && 'p90' in v));

/** the parts of a dated rate, in words */
const KEY_WORDS = {
  dailyUnder16: 'under 16',
  daily16to17: 'aged 16–17',
  higher: 'higher rate',
  daily: 'per day',
  share: 'at a UASC share of',
};

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** One number in a unit. */
function one(x, unit) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return String(x);
  switch (unit) {
    case 'week':
    case 'day':
    case 'gbp':
      return money(x);
    case 'count':
      return int.format(x);
    case 'pct':
      return pctInput(x);
    case 'id':
      return String(x);
    default:
      return amount(x);
  }
}

/**
 * The value of the input at `path` as a committee paper prints it: £4,500, 10%, 104, April 2018, yes; a range as
 * "between £3,000 and £6,000, most likely £4,000 (triangular)" or "100–116 (8 in 10)".
 */
export function formatInput(path, value) {
  const { unit } = inputLabel(path);
  // a part of the scenario switched off (`stayingPut: null`)
  if (value === null || value === undefined)
    return /^(capacity|stayingPut|uasc|uascGrant)$/.test(path) ? 'not included' : 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return one(value, unit);
  if (typeof value === 'string') {
    if (unit === 'month') return longMonth(value);
    if (unit === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return DATE.format(new Date(`${value}T00:00:00Z`));
    if (unit === 'path') return inputLabel(value).label;
    return value;
  }
  if (isRange(value)) {
    return 'mode' in value
      ? `between ${one(value.min, unit)} and ${one(value.max, unit)}, most likely ${one(value.mode, unit)} (triangular)`
      : `${one(value.p10, unit)}–${one(value.p90, unit)} (8 in 10)`;
  }
  // a list of dated rates (uasc.thresholds, uascGrant.rates): each in turn
  if (Array.isArray(value)) return value.map((v, i) => formatInput(`${path}.${i}`, v)).join('; ');
  if (typeof value === 'object') {
    // a budget set net or gross of the UASC grant
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'net' || keys[0] === 'gross') && typeof value[keys[0]] === 'number')
      return `${one(value[keys[0]], unit)} ${keys[0] === 'net' ? 'net of the UASC grant' : 'gross'}`;
    // a small record of figures (shares by age or placement): each part in its own unit
    return Object.entries(value)
      .map(
        ([k, v]) =>
          `${Object.hasOwn(LABELS, k) ? place(k) : Object.hasOwn(KEY_WORDS, k) ? KEY_WORDS[k] : /^\d+$/.test(k) ? `aged ${k}` : k}: ${formatInput(`${path}.${k}`, v)}`,
      )
      .join(', ');
  }
  return JSON.stringify(value);
}

/**
 * An input named in a sentence: a dotted path ("budgets.2021/22", "costs.weekly.residential"), or a part of the
 * scenario by its one-word name where a warning speaks of it as such ("stayingPut = …", "uasc is null",
 * "capacity.inHouseHouseholds (override)").
 */
const PATH_IN_TEXT =
  /\b(?:[a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9/_-]*[A-Za-z0-9])+|(?:childPopulation|capacity|costs|budgets|stayingPut|uasc|uascGrant|parameters)(?= = | is null\b))/g;
/** a value written right after a path: " = 0.1", " = \"2018-04\"", " {\"p10\":100,\"p90\":116}" */
const VALUE_AFTER = /^( = | )(\{[^{}]*\}|"[^"]*"|-?\d+(?:\.\d+)?(?:e-?\d+)?)(?=[\s:;)]|$)/;

/**
 * A warning or note as parts: plain text, and each input it names as its label with the path beside (`path`), the
 * value written after it (JSON, a bare number) in the input's unit. Paths with no label stay as they are.
 */
export function warningParts(text) {
  const s = String(text ?? '');
  const parts = [];
  let last = 0;
  const push = (t) => {
    if (t) parts.push({ text: t });
  };
  const named = (path, label, end) => {
    // the unit in brackets is left out: the value after it carries its own (£450 a week)
    parts.push({ text: label.replace(/ \([^()]*\)$/, ''), path });
    let rest = s.slice(end);
    const v = lookup(path) ? VALUE_AFTER.exec(rest) : null;
    let used = 0;
    if (v) {
      let value;
      try {
        value = JSON.parse(v[2]);
      } catch {
        value = undefined;
      }
      if (value !== undefined) {
        parts.push({ text: `${v[1]}${formatInput(path, value)}` });
        used = v[0].length;
        rest = rest.slice(used);
      }
    }
    return end + used;
  };
  PATH_IN_TEXT.lastIndex = last;
  for (let m = PATH_IN_TEXT.exec(s); m; m = PATH_IN_TEXT.exec(s)) {
    if (m.index < last) continue;
    const hit = lookup(m[0]);
    if (!hit) continue;
    push(s.slice(last, m.index));
    last = named(m[0], hit.label, m.index + m[0].length);
    // a part switched off: "uasc is null" reads "UASC is not included"
    if (!m[0].includes('.') && s.startsWith(' is null', last)) {
      parts.push({ text: ' is not included' });
      last += ' is null'.length;
    }
    PATH_IN_TEXT.lastIndex = last;
  }
  push(s.slice(last));
  return parts;
}

/** A warning in plain words: each input it names by its label (the inputs table pairs labels with paths). */
export const readableWarning = (text) =>
  warningParts(text)
    .map((p) => p.text)
    .join('');
