// Sentences a committee paper can quote, shared by the dashboard and the Word report (functions/render/report.ts).
import { shortMoney } from './chart-core.js';

const pct = (p) => `${Math.round(p * 100)}%`;

/**
 * "Placements are forecast to cost £19.0m in 2019/20, between £17.3m and £20.8m; there is a 30% chance of exceeding
 * the £19.3m budget." for one financial year of a result (P50, P10 and P90). A budget set net of the UASC grant is
 * tested against the net cost, so the sentence gives the net median and says the budget is net (the chance is not
 * that of the gross figures before it).
 */
export function summarySentence(f) {
  const net = f.budgetBasis === 'net';
  const budget =
    f.budget !== undefined && f.budget !== null
      ? `; ${net && f.net ? `net of UASC grant income, ${shortMoney(f.net.p50)}, and ` : ''}there is a ${pct(f.pOverBudget ?? 0)} chance of exceeding the ${shortMoney(f.budget)} ${net ? 'net budget' : 'budget'}`
      : '; no budget is set for the year';
  return `Placements are forecast to cost ${shortMoney(f.p50)} in ${f.label}${f.partial ? ` (${f.months} months)` : ''}, between ${shortMoney(f.p10)} and ${shortMoney(f.p90)}${budget}.`;
}

/**
 * The same for a region: "Placements across the region's 2 councils are forecast to cost £36.3m in 2018/19, between
 * £34.6m and £37.9m; there is a 29% chance of exceeding the £37.0m regional budget."
 */
export function regionSummarySentence(f, councils) {
  const budget =
    f.budget !== undefined && f.budget !== null
      ? `; there is a ${pct(f.pOverBudget ?? 0)} chance of exceeding the ${shortMoney(f.budget)} regional budget`
      : '; no regional budget is set for the year';
  return `Placements across the region’s ${councils} ${councils === 1 ? 'council' : 'councils'} are forecast to cost ${shortMoney(f.p50)} in ${f.label}${f.partial ? ` (${f.months} months)` : ''}, between ${shortMoney(f.p10)} and ${shortMoney(f.p90)}${budget}.`;
}

/** Plain names of the regional figures, for headings, captions and table headers. */
export const REGION_WORDS = {
  cost: 'Placement cost across the region',
  costNote:
    'The councils’ placement costs added together, plus the block cost of places the region commissions together (paid for whether used or not). The chance over budget is against the regional budget set with the forecast.',
  children: 'All children in care across the region',
  transfers: 'UASC transferred in through the regional rota',
  notPlaced: 'Not placed in the region (no council below its threshold)',
  threshold: 'National Transfer Scheme threshold',
  sharedSaving: 'Saving from shared places',
  sharedSavingNote:
    'Spot placements avoided (what the child’s placement would have cost while in the shared place) minus the block cost of the shared places, occupied or not. Positive: the shared places saved money.',
  residential: 'Shared residential beds (block contract)',
  foster: 'Shared fostering hub places',
};

/**
 * The year a summary speaks of: the first whole financial year with a budget (its chance over the budget is the
 * headline), else the first whole year (a part year is not comparable with a budget), else the first.
 */
export function headlineYear(years) {
  const whole = years.filter((f) => !f.partial);
  return whole.find((f) => f.budget !== undefined && f.budget !== null) ?? whole[0] ?? years[0];
}

/** The method in a paragraph. */
export const METHOD =
  'The forecast simulates every child in care month by month, many times over (Monte Carlo). Entries, moves between placements and exits follow rates estimated from the council’s SSDA903 placement records; new children are placed with the council’s own foster carers while places are free, and otherwise with agencies, residential homes and other providers. Carer households are recruited and leave at the rates set; unaccompanied asylum-seeking children arrive through the National Transfer Scheme while the council is below its threshold. Weekly costs by placement, with their uncertainty and inflation, turn placements into money by financial year. The figures are the spread of the simulated futures: P50 is the median, and 8 in 10 futures fall between P10 and P90; the chance of exceeding the budget is the share of futures above it.';

/** The method of a regional forecast in a paragraph (docs/regions.md). */
export const REGION_METHOD =
  'The forecast simulates every child in care in each of the region’s councils month by month, many times over (Monte Carlo), the councils together in each simulated future. Entries, moves between placements and exits follow rates estimated from each council’s own SSDA903 placement records; new children are placed with their council’s own foster carers while places are free, and otherwise with agencies, residential homes and other providers; a new residential or agency foster placement takes a free place the region commissions together, where it has them, at the shared weekly cost. Carer households are recruited and leave at the rates set; unaccompanied asylum-seeking children transferred through the National Transfer Scheme go in rota order to the next of the region’s councils below its threshold. Weekly costs by placement, with their uncertainty and inflation, turn placements into money by financial year; places commissioned together are paid for whether used or not. The figures are the spread of the simulated futures: P50 is the median, and 8 in 10 futures fall between P10 and P90; the chance of exceeding the budget is the share of futures above the regional budget.';
