/**
 * The National Transfer Scheme threshold for unaccompanied asylum-seeking children (docs/DOMAIN.md §4).
 * threshold = round(rate in force × child population aged 0–17); the rate is dated (0.07% from 1 July 2016,
 * 0.1% from 24 August 2022), never a constant. A month uses the rate in force on its last day, because arrivals are
 * counted at the end of the month. From 24 August 2022 a spontaneous arrival that would take the count above the
 * threshold is referred on into the scheme.
 */
export const REFERRAL_RULE_FROM = '2022-08-24';

export interface DatedRate {
  from: string; // YYYY-MM-DD
  rate: number;
}

/** The rate in force on an ISO date, or 0 before the first dated rate (no scheme, no rota). */
export function rateInForce(thresholds: readonly DatedRate[], isoDate: string): number {
  let rate = 0;
  for (const t of thresholds) if (t.from <= isoDate) rate = t.rate;
  return rate;
}

export const uascThreshold = (rate: number, childPopulation: number): number => Math.round(rate * childPopulation);

/** Child population aged 0–17, `monthsFromBase` months after the base, growing at a constant annual rate. */
export const childPopulationAt = (base: number, annualGrowth: number, monthsFromBase: number): number =>
  base * (1 + annualGrowth) ** (monthsFromBase / 12);

/** Does the referral-on rule for spontaneous arrivals apply in a month ending on this date? */
export const referralRuleApplies = (monthEndIso: string): boolean => monthEndIso >= REFERRAL_RULE_FROM;
