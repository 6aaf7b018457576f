/**
 * Plain names and units of the scenario's inputs (web/js/input-labels.js), shared by the Word report, the Excel
 * inputs sheet and the dashboard: real values of each kind, the warnings the demo dataset's resolution writes, and
 * every input the default scenario and the demo dataset's resolved scenario hold has a label (a new input cannot come
 * out under its raw path unnoticed).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveScenario } from '#models/council-resolve';
import { inputsOf } from '#models/council-inputs';
import { parseScenario, type Scenario } from '#models/scenario';
import { inputRows } from '#functions/render/inputs';
import {
  formatInput,
  inputLabel,
  parameterLabel,
  readableWarning,
  savingAxisTitle,
  savingBarLabel,
  sweepName,
  warningParts,
} from '../../web/js/input-labels.js';
import { inputsTable, uncertaintyBlock, warningsBlock } from '../../web/js/tables.js';
import { accepted, demoTables, uploadFiles } from '../fixtures/demo-903.js';

const peterborough = JSON.parse(readFileSync('data/scenarios/peterborough-2018.json', 'utf8')) as Record<
  string,
  unknown
>;

async function demoResolution() {
  const t = demoTables();
  const dataset = accepted(
    await uploadFiles({ 'header.csv': t.header, 'episodes.csv': t.episodes, 'uasc.csv': t.uasc }),
  );
  return resolveScenario(dataset, {});
}

describe('input labels', () => {
  it('names inputs in plain English with their units', () => {
    expect(inputLabel('capacity.inHouseHouseholds').label).toBe('In-house foster households at the start');
    expect(inputLabel('costs.weekly.residential').label).toBe('Weekly cost, residential (£ a week)');
    expect(inputLabel('parameters.entryDrift.sdPerYear').label).toBe(
      'Year-to-year drift of the entry rate (sd of its log, a year)',
    );
    expect(inputLabel('uasc.transfersPerMonthWhenOnRota').label).toBe('UASC transfers a month while on the rota');
    expect(inputLabel('parameters.moveProbability.10-15.agencyFoster.residential').label).toBe(
      'Chance a month of moving: aged 10–15, agency fostering to residential',
    );
    expect(inputLabel('budgets.2019/20').label).toBe('Budget 2019/20 (£)');
  });

  it('falls back to the path for an input it does not know', () => {
    expect(inputLabel('capacity.somethingNew')).toMatchObject({ label: 'capacity.somethingNew', known: false });
    expect(inputLabel('costs.weekly.total').known).toBe(false); // not a placement
    expect(formatInput('capacity.somethingNew', 0.25)).toBe('0.25');
  });

  it('prints a triangular range, a p10/p90 range, a probability and money', () => {
    expect(formatInput('costs.weekly.residential', { min: 3500, mode: 4500, max: 7000 })).toBe(
      'between £3,500 and £7,000, most likely £4,500 (triangular)',
    );
    expect(formatInput('costs.weekly.residential', { p10: 3500, p90: 7000 })).toBe('£3,500–£7,000 (8 in 10)');
    expect(formatInput('capacity.inHouseHouseholds', { p10: 100, p90: 116 })).toBe('100–116 (8 in 10)');
    expect(formatInput('capacity.householdLossPerYear', 0.1)).toBe('10%');
    expect(formatInput('capacity.householdLossPerYear', { min: 0.06, mode: 0.1, max: 0.15 })).toBe(
      'between 6% and 15%, most likely 10% (triangular)',
    );
    expect(formatInput('uasc.thresholds.0.rate', 0.0007)).toBe('0.07%');
    expect(formatInput('parameters.exitProbability.5-9.kinship', 0.037500000000000006)).toBe('3.75%');
    expect(formatInput('budgets.2018/19', 18_500_000)).toBe('£18,500,000');
    expect(formatInput('budgets.2018/19', { net: 15_000_000 })).toBe('£15,000,000 net of the UASC grant');
    expect(formatInput('uascGrant.rates.0.dailyUnder16', 114)).toBe('£114');
    expect(formatInput('childPopulation.base', 49_917)).toBe('49,917');
    expect(formatInput('runs', 2000)).toBe('2,000');
    expect(formatInput('seed', 20181)).toBe('20181');
    expect(formatInput('parameters.entriesPerMonth.1-4.withParents', 0.08)).toBe('0.08');
    expect(formatInput('start', '2018-04')).toBe('April 2018');
    expect(formatInput('uasc.thresholds.1.from', '2022-08-24')).toBe('24 August 2022');
    expect(formatInput('uncertainty.parameters', true)).toBe('yes');
    expect(inputLabel('comparison.variants.1.overrides.costs.weekly.residential').label).toBe(
      'Variant 2: Weekly cost, residential (£ a week)',
    );
    expect(formatInput('comparison.variants.0.overrides.capacity.householdLossPerYear', 0.12)).toBe('12%');
    expect(formatInput('comparison.sweep.path', 'capacity.recruitmentPerYear')).toBe(
      'New in-house foster households a year',
    );
  });

  it('names what a comparison sweeps or a target search moves, for any input, a region’s own and a member council’s', () => {
    // the chart's axis and bars take the swept input's name and units, not "households a year" whatever was swept
    const swept = [
      { value: 4000, name: 'x' },
      { value: 4500, name: 'y' },
    ];
    expect(savingAxisTitle(swept, 'costs.weekly.residential')).toBe('Weekly cost, residential (£ a week)');
    expect(swept.map((v) => savingBarLabel(v, 'costs.weekly.residential'))).toEqual(['£4,000', '£4,500']);
    expect(savingBarLabel({ value: 0.85, name: 'z' }, 'capacity.agencyAvailability')).toBe('85%');
    expect(savingAxisTitle([{ name: 'Regional hub' }], undefined)).toBe('Variant');
    expect(savingBarLabel({ name: 'Regional hub' }, undefined)).toBe('Regional hub');
    expect(parameterLabel('capacity.recruitmentPerYear')).toBe('New in-house foster households a year');
    expect(parameterLabel('shared.residentialBeds')).toBe('Shared residential beds');
    expect(parameterLabel('councils.E06000031.capacity.placesPerHousehold')).toBe(
      'E06000031: Places per in-house foster household',
    );
    expect(sweepName('capacity.recruitmentPerYear', 24)).toBe('24 new carer households a year');
    expect(sweepName('councils.E06000031.capacity.recruitmentPerYear', 30)).toBe(
      'E06000031: 30 new carer households a year',
    );
    expect(sweepName('shared.weeklyCost', 3800)).toBe(
      'Weekly cost of a shared residential bed, occupied or not (£ a week): £3,800',
    );
    expect(sweepName('nts.regionalTransfersPerMonth', 6)).toBe(
      'UASC transfers to the region a month (regional rota): 6',
    );
    expect(sweepName('parameters.notAnInput', 2)).toBe('parameters.notAnInput = 2');
  });

  it('rewrites a warning: the input by its label, the value after it in its unit, other text as it was', () => {
    expect(readableWarning('capacity.householdLossPerYear = 0.1 is the Peterborough 2018 example value')).toBe(
      'In-house foster households lost a year = 10% is the Peterborough 2018 example value',
    );
    expect(
      readableWarning('capacity.inHouseHouseholds {"p10":100,"p90":116} averages fewer than the 110 households'),
    ).toBe('In-house foster households at the start 100–116 (8 in 10) averages fewer than the 110 households');
    expect(readableWarning('budgets.2021/22 is outside the forecast horizon and was not used')).toBe(
      'Budget 2021/22 is outside the forecast horizon and was not used',
    );
    expect(readableWarning('costs.weekly.secure is not given: children in secure are costed at £0')).toBe(
      'Weekly cost, secure is not given: children in secure are costed at £0',
    );
    expect(
      readableWarning('uasc is null: the 3 children flagged uasc in initial are forecast as any other child'),
    ).toBe('UASC is not included: the 3 children flagged uasc in initial are forecast as any other child');
    expect(
      readableWarning('a budget is set net of UASC grant income but uascGrant is null: the net cost is the gross cost'),
    ).toBe(
      'a budget is set net of UASC grant income but UASC grant income is not included: the net cost is the gross cost',
    );
    expect(readableWarning('council E1 has no UASC settings (uasc is null): it takes no regional NTS transfers')).toBe(
      'council E1 has no UASC settings (UASC is not included): it takes no regional NTS transfers',
    );
    expect(readableWarning('stayingPut = 60% of young people, 24 months, £300 a week is the example value')).toBe(
      'Staying Put = 60% of young people, 24 months, £300 a week is the example value',
    );
    // an unknown path and ordinary text are left alone
    expect(readableWarning('capacity.somethingNew = 3 e.g. 4.5')).toBe('capacity.somethingNew = 3 e.g. 4.5');
    // the parts keep each path for the dashboard, which prints it small beside the label
    expect(warningParts('costs.weekly.residential = £4,000 a week')).toEqual([
      { text: 'Weekly cost, residential', path: 'costs.weekly.residential' },
      { text: ' = £4,000 a week' },
    ]);
  });

  it('rewrites every warning the demo dataset’s resolution writes, leaving no path behind', async () => {
    const { warnings } = await demoResolution();
    expect(warnings.length).toBeGreaterThan(10);
    for (const w of warnings) expect(readableWarning(w)).not.toMatch(/\b[a-z][A-Za-z]*\.[A-Za-z]/);
    expect(warnings.map(readableWarning)).toContain(
      'Weekly cost, residential = £3,000–£6,000 a week (mode £4,000) is the Peterborough 2018 example value: this dataset, which belongs to no council, does not give it',
    );
    expect(warnings.map(readableWarning)).toContain(
      'Budgets = 5 financial years from 2018/19 is the Peterborough 2018 example value: this dataset, which belongs to no council, does not give it',
    );
    expect(warnings.map(readableWarning)).toContain(
      'Ages of arriving UASC = aged 15: 20%, aged 16: 40%, aged 17: 40% is the Peterborough 2018 example value: this dataset, which belongs to no council, does not give it',
    );
  });

  describe('every input of the default scenario and the demo dataset’s resolved scenario has a label', () => {
    let demo: Record<string, unknown>;
    beforeAll(async () => {
      demo = (await demoResolution()).scenario as unknown as Record<string, unknown>;
    });

    const parsed = (s: unknown): Scenario => {
      const p = parseScenario(s);
      if (!p.ok) throw new Error(JSON.stringify(p.issues));
      return p.value;
    };

    it.each(['peterborough-2018.json', 'the demo dataset'])('%s, with the sourced figures of its result', (which) => {
      // as the report and the workbook list them: the stored scenario and the result's `inputs` (value + source)
      const scenario = parsed(which === 'the demo dataset' ? demo : peterborough);
      // the figures of the result as the dashboard lists them (lists and records whole)
      expect(Object.keys(inputsOf(scenario)).filter((p) => !inputLabel(p).known)).toEqual([]);
      const rows = inputRows(scenario, inputsOf(scenario));
      expect(rows.length).toBeGreaterThan(100);
      const paths = rows.map((r) => r.path);
      // the sources became the rows' sources, not rows of their own
      expect(paths.filter((p) => p.startsWith('sources.'))).toEqual([]);
      const unlabelled = paths.filter((p) => !inputLabel(p).known);
      expect(unlabelled).toEqual([]);
      for (const r of rows) {
        expect(r.label).not.toBe(r.path);
        expect(r.text).not.toMatch(/[{}]/); // no JSON left in a value
      }
    });

    it('lists the paths it checked, so a new one shows in the diff', () => {
      const family = (p: string) =>
        p
          .replace(/^(parameters\.[A-Za-z.]+?)\.(0|1-4|5-9|10-15|16-17)(?=\.)/, '$1.{band}')
          .replace(
            /\.(inHouseFoster|agencyFoster|kinship|residential|supported|withParents|placedForAdoption|secure|other)\b/g,
            '.{cat}',
          )
          .replace(/\.\d{4}\/\d{2}$/, '.{fy}')
          .replace(/\.\d+(?=\.|$)/g, '.{i}');
      const rows = [peterborough, demo].flatMap((s) => {
        const scenario = parsed(s);
        return inputRows(scenario, inputsOf(scenario));
      });
      const paths = [...new Set(rows.map((r) => family(r.path)))].sort();
      expect(paths).toEqual([
        'budgets.{fy}',
        'capacity.agencyAvailability',
        'capacity.householdLossPerYear',
        'capacity.inHouseHouseholds',
        'capacity.placesPerHousehold',
        'capacity.recruitmentPerYear',
        'capacity.stepAcrossProbability',
        'childPopulation.annualGrowth',
        'childPopulation.base',
        'costs.annualInflation',
        'costs.priceBase',
        'costs.weekly.{cat}',
        'entries.multiplier',
        'horizonMonths',
        'initial.children',
        'name',
        'notes',
        'parameters',
        'parameters.entriesPerMonth.{band}.{cat}',
        'parameters.entryDrift.basis',
        'parameters.entryDrift.sdPerYear',
        'parameters.evidence.entries.{band}.{cat}',
        'parameters.evidence.entryMonths',
        'parameters.evidence.exits.{band}.{cat}',
        'parameters.evidence.exposureMonths.{band}.{cat}',
        'parameters.evidence.moves.{band}.{cat}.{cat}',
        'parameters.exitDrift.basis',
        'parameters.exitDrift.sdPerYear',
        'parameters.exitProbability.{band}.{cat}',
        'parameters.moveProbability.{band}.{cat}.{cat}',
        'runs',
        'seed',
        'start',
        'stayingPut',
        'stayingPut.fromAgency',
        'stayingPut.months',
        'stayingPut.share',
        'stayingPut.weekly',
        'uasc.arrivalAge.{i}',
        'uasc.arrivalPlacement.{cat}',
        'uasc.initial',
        'uasc.spontaneousPerMonth',
        'uasc.thresholds.{i}.from',
        'uasc.thresholds.{i}.rate',
        'uasc.transfersPerMonthWhenOnRota',
        'uascGrant',
        'uascGrant.rates.{i}.daily16to17',
        'uascGrant.rates.{i}.dailyUnder16',
        'uascGrant.rates.{i}.from',
        'uascGrant.rates.{i}.higher.daily',
        'uascGrant.rates.{i}.higher.share',
        'uncertainty.parameters',
      ]);
    });
  });
});

describe('the dashboard’s warnings and inputs (web/js/tables.js)', () => {
  it('shows a warning with the label, the value in its unit and the path small beside it', () => {
    const html = warningsBlock({
      warnings: ['capacity.householdLossPerYear = 0.1 is the Peterborough 2018 example value', 'a <b> plain note'],
    });
    expect(html).toContain(
      '<li>In-house foster households lost a year <code class="input-path">capacity.householdLossPerYear</code> = 10% is the Peterborough 2018 example value</li>',
    );
    expect(html).toContain('<li>a &lt;b&gt; plain note</li>');
  });

  it('lists a result’s sourced inputs by label with their values in their units', () => {
    const html = inputsTable({
      inputs: {
        'costs.weekly.residential': { value: { min: 3000, mode: 4000, max: 6000 }, source: 'seed 002' },
        'capacity.somethingNew': { value: 3, source: 'profile' },
      },
    });
    expect(html).toContain(
      '<th scope="row">Weekly cost, residential (£ a week) <code class="input-path">costs.weekly.residential</code></th><td>between £3,000 and £6,000, most likely £4,000 (triangular)</td><td>seed 002</td>',
    );
    // no label: the path is the name, shown once
    expect(html).toContain('<th scope="row">capacity.somethingNew</th><td>3</td>');
  });

  it('names the inputs given as ranges by their labels', () => {
    const html = uncertaintyBlock({ uncertainty: { inputs: ['uasc.transfersPerMonthWhenOnRota'] } });
    expect(html).toContain(
      'UASC transfers a month while on the rota <code class="input-path">uasc.transfersPerMonthWhenOnRota</code>',
    );
  });
});
