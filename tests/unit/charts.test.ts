/**
 * The chart module shared by the dashboard and the server (web/js/chart-core.js) and the figures the role views
 * derive (web/js/derive.js): ranges that show the band, ticks that read as money, counts and percentages, labels kept
 * inside the picture, budgets only for the forecast's years, and a change split into parts that add up.
 */
import { describe, expect, it } from 'vitest';
import { chartSvg, formatTick, niceScale, textWidth } from '../../web/js/chart-core.js';
import { budgetsFrom, changeDrivers, firstWholeYearAfter, yearsOfHorizon } from '../../web/js/derive.js';

describe('chart scales and ticks', () => {
  it('does not start money at zero when that would squash the band, and covers every value', () => {
    const s = niceScale(17_100_000, 23_400_000, { format: 'money' });
    expect(s.min).toBeGreaterThan(10_000_000);
    expect(s.min).toBeLessThanOrEqual(17_100_000);
    expect(s.max).toBeGreaterThanOrEqual(23_400_000);
    expect(s.ticks.map((t) => formatTick(t, 'money', s.step))).toEqual(['£16m', '£18m', '£20m', '£22m', '£24m']);
  });

  it('puts a reference label below its line when the data runs through the place above it', () => {
    const spec = (curve: number[]) =>
      chartSvg({
        title: 'Chance of exceeding the budget',
        width: 1000,
        height: 420,
        x: { labels: ['0', '10', '20', '30', '40'], title: 'Households a year' },
        y: { title: 'Chance', format: 'percent', zero: true },
        lines: [{ values: curve, label: 'Chance', colour: '#000' }],
        refs: [
          {
            values: [0.2, 0.2, 0.2, 0.2, 0.2],
            label: 'Goal',
            tag: 'Goal: at most 20%',
            colour: '#c00',
            className: 'goal',
          },
        ],
      });
    const labelY = (svg: string) => Number(/class="ref-label goal-label"[^>]* y="([\d.]+)"/.exec(svg)![1]);
    const lineY = (svg: string) => Number(/<path class="goal" d="M[\d.]+,([\d.]+)/.exec(svg)![1]);
    // the search's curve ends just above the goal, where the label would sit
    const crowded = spec([0.415, 0.335, 0.27, 0.235, 0.215]);
    expect(labelY(crowded)).toBeGreaterThan(lineY(crowded));
    // far from the curve it stays above its line
    const clear = spec([0.6, 0.55, 0.5, 0.45, 0.4]);
    expect(labelY(clear)).toBeLessThan(lineY(clear));
  });

  it('writes ticks 2.5 apart with the decimal they need: £17.5m, never £18m beside £20m', () => {
    expect([15, 17.5, 20, 22.5].map((m) => formatTick(m * 1e6, 'money', 2.5e6))).toEqual([
      '£15.0m',
      '£17.5m',
      '£20.0m',
      '£22.5m',
    ]);
    expect(formatTick(0.125, 'percent', 0.025)).toBe('12.5%');
    expect(formatTick(16e6, 'money', 2e6)).toBe('£16m');
  });

  it('writes a money axis through zero as £0 (not £0m) with true minus signs below it', () => {
    const s = niceScale(-11_800_000, 6_700_000, { format: 'money' });
    const ticks = s.ticks.map((t) => formatTick(t, 'money', s.step));
    expect(ticks).toContain('£0');
    expect(ticks.filter((t) => t.startsWith('−£')).length).toBeGreaterThan(0);
    expect(ticks.every((t) => t === '£0' || /^−?£\d+(\.\d+)?m$/.test(t))).toBe(true);
  });

  it('starts counts at zero when zero is near, and steps percentages in round numbers', () => {
    expect(niceScale(3, 40, { format: 'count' }).min).toBe(0);
    const p = niceScale(0.05, 0.47, { format: 'percent' });
    expect(p.ticks.map((t) => formatTick(t, 'percent', p.step))).toEqual(['0%', '10%', '20%', '30%', '40%', '50%']);
  });

  it('keeps every estimated text box inside the viewBox, even long labels at the right edge', () => {
    const labels = Array.from({ length: 60 }, (_, i) => `Month number ${i}`);
    const svg = chartSvg({
      title: 'A long title that has to wrap onto a second line because it will not fit in one line at this width',
      width: 500,
      height: 300,
      x: { labels, title: 'Month' },
      y: { title: '£ per year', format: 'money' },
      lines: [{ values: labels.map((_, i) => 1e6 + i * 1e4), label: 'Median', colour: '#000' }],
      refs: [{ values: labels.map(() => 1.5e6), label: 'Budget', colour: '#b30000' }],
    });
    for (const m of svg.matchAll(
      /<text[^>]* x="([\d.-]+)" y="([\d.-]+)"(?: text-anchor="(\w+)")?[^>]*>([^<]*)<\/text>/g,
    )) {
      const [, xs, , anchor, text] = m;
      const x = Number(xs);
      const size = /font-size="(\d+)"/.exec(m[0])?.[1];
      const w = textWidth(text!, Number(size ?? 14));
      const [left, right] = anchor === 'end' ? [x - w, x] : anchor === 'middle' ? [x - w / 2, x + w / 2] : [x, x + w];
      expect(left, text).toBeGreaterThanOrEqual(0);
      expect(right, text).toBeLessThanOrEqual(500);
    }
    expect(svg).toContain('>Budget</text>');
  });
});

describe('figures derived for the role views', () => {
  it('sets budgets for exactly the financial years the forecast touches', () => {
    expect(yearsOfHorizon('2018-03-31', 60)).toEqual(['2018/19', '2019/20', '2020/21', '2021/22', '2022/23']);
    expect(yearsOfHorizon('2018-09-30', 60)).toHaveLength(6); // Oct 2018 to Sep 2023
    expect(budgetsFrom(19_000_000, 3, '2018-03-31', 60)).toEqual({
      '2018/19': 19_000_000,
      '2019/20': 19_570_000,
      '2020/21': 20_157_100,
      '2021/22': 20_761_813,
      '2022/23': 21_384_667,
    });
    expect(firstWholeYearAfter('2018-03-31')).toBe('2018/19');
    expect(firstWholeYearAfter('2018-09-30')).toBe('2019/20');
  });

  it('splits the change in a year’s cost into numbers, mix and unit costs that add up to it', () => {
    const months = [
      '2019-04',
      '2019-05',
      '2019-06',
      '2019-07',
      '2019-08',
      '2019-09',
      '2019-10',
      '2019-11',
      '2019-12',
      '2020-01',
      '2020-02',
      '2020-03',
    ];
    const make = (a: number, b: number, ua: number, ub: number) => ({
      months,
      population: { x: { mean: months.map(() => a) }, y: { mean: months.map(() => b) } },
      cost: {
        financialYears: [
          {
            label: '2019/20',
            months: 12,
            partial: false,
            byCategory: { x: { mean: 12 * a * ua }, y: { mean: 12 * b * ub } },
          },
        ],
      },
    });
    const before = make(100, 50, 1000, 4000);
    const after = make(110, 60, 1100, 4000);
    const d = changeDrivers(after, before, '2019/20')!;
    expect(d.before).toBe(12 * (100 * 1000 + 50 * 4000));
    expect(d.after).toBe(12 * (110 * 1100 + 60 * 4000));
    expect(d.numbers + d.mix + d.unitCosts).toBeCloseTo(d.change, 6);
    // only in-house-like x got dearer: the unit-cost part is x's rise at the new numbers
    expect(d.unitCosts).toBeCloseTo(12 * 110 * 100, 6);
    expect(d.numbers).toBeGreaterThan(0);
  });
});
