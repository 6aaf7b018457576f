/**
 * The dashboard's money in tables (web/js/format.js) and its cost chart by financial year (web/js/charts.js): a loss
 * with a true minus sign like the charts' and sentences', a change always signed, and a forecast whose horizon cuts
 * a financial year short drawn over its whole years only (a 4-month year beside 12-month ones reads as a fall).
 */
import { beforeAll, describe, expect, it } from 'vitest';

// browser modules without type declarations, loaded by their address
const webModule = (path: string) => import(new URL(`../../web/js/${path}`, import.meta.url).href);
type Money = (x: number | undefined) => string;
const { money, signedMoney } = (await webModule('format.js')) as { money: Money; signedMoney: Money };

describe('money in tables', () => {
  it('whole pounds with separators; a negative amount with −, never -£ or −£0', () => {
    expect(money(18_337_792.4)).toBe('£18,337,792');
    expect(money(-8_459_464.2)).toBe('−£8,459,464');
    expect(money(-0.3)).toBe('£0');
    expect(money(undefined)).toBe('–');
  });
  it('a change is signed', () => {
    expect(signedMoney(605_507)).toBe('+£605,507');
    expect(signedMoney(-980_857)).toBe('−£980,857');
    expect(signedMoney(0.2)).toBe('£0');
  });
});

describe('the cost chart by financial year', () => {
  // charts.js is a browser module: the little of the page it touches at import
  let costSpec: (r: unknown, o?: { title?: string }) => { title: string; x: { labels: string[] } };
  beforeAll(async () => {
    const g = globalThis as Record<string, unknown>;
    g.window ??= {};
    g.document ??= { addEventListener() {} };
    g.sessionStorage ??= { getItem: () => null };
    ({ costSpec } = (await webModule('charts.js')) as { costSpec: typeof costSpec });
  });
  const year = (label: string, months: number) => ({
    label,
    months,
    partial: months < 12,
    p10: 1e6 * months,
    p25: 1.1e6 * months,
    p50: 1.2e6 * months,
    p75: 1.3e6 * months,
    p90: 1.4e6 * months,
  });

  it('draws only the whole years when the horizon cuts the first and last short, and says so', () => {
    const r = {
      cost: { financialYears: [year('2026/27', 4), year('2027/28', 12), year('2028/29', 12), year('2031/32', 8)] },
    };
    const spec = costSpec(r, { title: 'Regional placement cost by financial year' });
    expect(spec.x.labels).toEqual(['2027/28', '2028/29']);
    expect(spec.title).toBe('Regional placement cost by financial year (whole years)');
  });

  it('keeps every year when they are all whole, or when fewer than two are', () => {
    const whole = costSpec({ cost: { financialYears: [year('2018/19', 12), year('2019/20', 12)] } });
    expect(whole.x.labels).toEqual(['2018/19', '2019/20']);
    expect(whole.title).toBe('Placement cost by financial year');
    const short = costSpec({ cost: { financialYears: [year('2026/27', 4), year('2027/28', 12), year('2028/29', 6)] } });
    expect(short.x.labels).toEqual(['2026/27 (4 months)', '2027/28', '2028/29 (6 months)']);
  });
});

describe('a comparison’s tables on a narrow screen', () => {
  it('every table sits in a focusable box named by its caption that scrolls sideways, so the page does not', async () => {
    // the view imports the API client, which reads its base address from `window` when loaded
    (globalThis as { window?: object }).window ??= {};
    type Table = (c: unknown) => string;
    const { horizonCompareTable, yearsCompareTable, councilSavingsTable } = (await webModule('views/compare.js')) as {
      horizonCompareTable: Table;
      yearsCompareTable: Table;
      councilSavingsTable: Table;
    };
    const years = [{ label: '2024/25', months: 12, partial: false, p10: 41e6, p50: 43e6, p90: 45e6 }];
    const saving = { mean: 9e5, sd: 1e5, se: 6e3, p10: 7e5, p50: 9e5, p90: 1.1e6, pSaves: 1 };
    const band = { p10: 59, p50: 73, p90: 90 };
    const variant = (name: string, isBase: boolean) => ({
      name,
      isBase,
      horizon: { residential: band, agencyFoster: band },
      overflowTotal: null,
      financialYears: years,
      saving: isBase ? null : { financialYears: [{ label: '2024/25', ...saving }], horizon: saving },
      councils: [{ code: 'E06000031', saving: isBase ? null : { financialYears: [], horizon: saving } }],
    });
    const c = {
      summary: {
        regional: true,
        horizonMonth: '2027-03',
        financialYears: ['2024/25'],
        variants: [variant('Base', true), variant('Regional hub 30 households/yr', false)],
      },
    };
    const html = horizonCompareTable(c) + yearsCompareTable(c) + councilSavingsTable(c);
    const tables = html.match(/<table /g) ?? [];
    expect(tables).toHaveLength(5);
    const boxed =
      html.match(/<div class="table-scroll" role="region" tabindex="0" aria-label="[^"]+"><table id="[^"]+"/g) ?? [];
    expect(boxed.map((b) => /<table id="([^"]+)"/.exec(b)?.[1])).toEqual([
      'comparison-table',
      'cmp-cost',
      'cmp-over',
      'cmp-saving',
      'cmp-councils',
    ]);
    expect(html).toContain('aria-label="Chance of exceeding the budget, by financial year"');
  });

  it('adds each variant’s councils up to the region: the empty shared places’ block cost, then the region’s saving', async () => {
    (globalThis as { window?: object }).window ??= {};
    const { councilSavingsTable } = (await webModule('views/compare.js')) as {
      councilSavingsTable: (c: unknown) => string;
    };
    const h = (mean: number) => ({ mean, sd: 1e5, se: 5e3, p10: mean - 1e5, p50: mean, p90: mean + 1e5, pSaves: 0.9 });
    const years = [{ label: '2024/25', months: 12, partial: false, p10: 41e6, p50: 43e6, p90: 45e6 }];
    const band = { p10: 59, p50: 73, p90: 90 };
    const variant = (name: string, region: number | null, councils: number[]) => ({
      name,
      isBase: region === null,
      horizon: { residential: band, agencyFoster: band },
      overflowTotal: null,
      financialYears: years,
      saving: region === null ? null : { financialYears: [], horizon: h(region) },
      councils: councils.map((m, i) => ({
        code: ['E06000031', 'E10000003'][i],
        saving: region === null ? null : { financialYears: [], horizon: h(m) },
      })),
    });
    const html = councilSavingsTable({
      summary: {
        regional: true,
        horizonMonth: '2027-03',
        financialYears: ['2024/25'],
        variants: [
          variant('Base', null, [0, 0]),
          // the hub's two councils save £885k and £883k; the region £1.69m: £78k went on the hub's empty places
          variant('Regional hub', 1_690_000, [885_000, 883_000]),
          variant('Each council recruits', 3_579_927, [1_800_000, 1_779_927]),
        ],
      },
    });
    const text = html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|');
    expect(text).toContain('|Regional hub|E06000031|£885,000|');
    expect(text).toContain('|Shared places left empty (change in their block cost)|−£78,000|');
    expect(text).toContain('|Region (total)|£1,690,000|£5,000|');
    expect(html).toContain('rowspan="4">Regional hub');
    // councils that add up to the region: no empty-places row
    expect(html).toContain('rowspan="3">Each council recruits');
    expect(text.match(/Shared places left empty/g)).toHaveLength(1);
    expect(text.match(/Region \(total\)/g)).toHaveLength(2);
  });
});
