/**
 * The regional forecast: the member councils' simulations stepped together, month by month within each run, with
 * the region's coupling between the steps.
 *
 * In month t of run r, for every council in rota order, the council's own steps 0–4 and the draws of step 5 (its
 * spontaneous arrivals) run first; then the region's NTS transfers of the month — one Poisson stream for the region —
 * go in rota order to the councils below their own dated threshold (./rota.ts); then each council's UASC arrivals are
 * placed; then the shared places are handed out (./shared.ts); then each council records its month (step 6) and the
 * region adds up its totals.
 *
 * Random streams: council i draws from its own streams keyed by (its seed, run, child) exactly as it would alone; the
 * first council's seed is the region's, the others' are derived from it and their position (so a region of one
 * council with `nts` and `shared` null is exactly that council's standalone forecast). The region's own draws (the
 * transfers, the fostering hub's households) have streams keyed by (region seed, run). Everything in run r depends on
 * r alone, so runs can be split into shards that compute exactly their runs.
 */
import { financialYearLabel, financialYearStart, monthFromIndex, monthIndex } from '../calendar.js';
import { type CouncilStepper, createCouncilStepper } from '../engine/simulation.js';
import { type MonthEndState, type SimulateOptions, SimulationCancelled } from '../engine/types.js';
import { CATEGORIES } from '../placement.js';
import { BinomialTable, PoissonTable, streamSeed, uniform } from '../random.js';
import type { Quantiles, Series } from '../result.js';
import type { Scenario } from '../scenario.js';
import type { RecorderState } from '../engine/recorder.js';
import { CountSeries, type CountSeriesState, LogSketch, type LogSketchState, SketchSeries } from '../summary.js';
import type { RegionalFinancialYear, RegionalForecastResult, RegionalShared } from './result.js';
import { Rota } from './rota.js';
import type { Nts, Shared } from './schema.js';
import { SHARED_FOSTER, SHARED_RESIDENTIAL, SharedPool } from './shared.js';
import { SignedSketch } from '../signed-sketch.js';

/** A region ready to simulate: every council's scenario whole, with the region's start, horizon, runs and seed. */
export interface RegionalScenario {
  name: string;
  start: string;
  horizonMonths: number;
  runs: number;
  seed: number;
  councils: { code: string; scenario: Scenario }[];
  nts: Nts | null;
  shared: Shared | null;
  budgets: Record<string, number>;
}

/** Stream index of the region's own draws under the region seed (far from any run index). */
const REGION_STREAM = 0x7fff0000;
const COUNCIL_STREAM = 0x7ffe0000;
const S_NTS = 0;
const S_HUB = 1;

/** The seed council i uses: the region's for the first council, derived from it and i for the others. */
export function councilSeed(regionSeed: number, position: number): number {
  return position === 0 ? regionSeed : streamSeed(regionSeed, COUNCIL_STREAM + position);
}

export interface RegionalSimulateOptions extends Omit<SimulateOptions, 'onMonthEnd'> {
  /** only runs [from, to): a shard (models/region/shards.ts); progress is then over the shard's runs */
  runs?: { from: number; to: number };
  /** called at the end of every month of every run for each council (tests and diagnostics) */
  onCouncilMonthEnd?: (council: number, run: number, month: number, state: MonthEndState) => void;
}

export interface RegionalSimulation {
  readonly runs: number;
  readonly runsDone: number;
  step(maxRuns: number): boolean;
  /** the result of the runs simulated or merged here (all the region's runs) */
  finish(): RegionalForecastResult;
  /** the summaries of the runs simulated here (a shard's), as plain data */
  summaryState(): RegionSummaryState;
  /** add another shard's summaries */
  mergeSummary(state: RegionSummaryState): void;
}

/** A region's summaries as plain data (JSON-safe): the councils' recorders and the region's own series. */
export interface RegionSummaryState {
  from: number;
  to: number;
  councils: RecorderState[];
  counts: CountSeriesState[];
  costMonthly: LogSketchState[];
  sketches: LogSketchState[];
  overBudget: number[];
  runTotals: { financialYears: number[][]; horizonTotal: number[] } | null;
}

export function simulateRegion(
  region: RegionalScenario,
  options: RegionalSimulateOptions = {},
): RegionalForecastResult {
  const sim = createRegionalSimulation(region, options);
  sim.step(Infinity);
  return sim.finish();
}

export function createRegionalSimulation(
  region: RegionalScenario,
  options: RegionalSimulateOptions = {},
): RegionalSimulation {
  const started = performance.now();
  const H = region.horizonMonths;
  const R = region.runs;
  const N = region.councils.length;
  const start = monthIndex(region.start);
  const months = Array.from({ length: H }, (_, t) => monthFromIndex(start + t));
  const warnings: string[] = [];

  const steppers: CouncilStepper[] = region.councils.map(({ code, scenario }, i) => {
    if (scenario.start !== region.start || scenario.horizonMonths !== H || scenario.runs !== R)
      throw new Error(`council ${code}: its scenario must have the region's start, horizon and runs`);
    const watch = options.onCouncilMonthEnd;
    return createCouncilStepper(scenario, {
      collectRunTotals: options.collectRunTotals === true,
      ...(watch ? { onMonthEnd: (r: number, t: number, state: MonthEndState) => watch(i, r, t, state) } : {}),
    });
  });
  const worlds = steppers.map((s) => s.world);

  // --- the region's financial years and budgets
  const fyStart0 = financialYearStart(start);
  const fyOf = Int32Array.from({ length: H }, (_, t) => financialYearStart(start + t) - fyStart0);
  const nFY = fyOf[H - 1]! + 1;
  const fyMonths = new Int32Array(nFY);
  for (let t = 0; t < H; t++) fyMonths[fyOf[t]!]!++;
  const fyLabels = Array.from({ length: nFY }, (_, f) => financialYearLabel(fyStart0 + f));
  const budgets = fyLabels.map((l) => region.budgets[l]);
  for (const label of Object.keys(region.budgets))
    if (!fyLabels.includes(label)) warnings.push(`budgets.${label} is outside the forecast horizon and was not used`);

  // --- the coupling
  const nts = region.nts;
  const rota = new Rota(N);
  const ntsTable = new PoissonTable(nts ? nts.regionalTransfersPerMonth : 0);
  const room = new Int32Array(N);
  const given = new Int32Array(N);
  if (nts) {
    region.councils.forEach(({ code, scenario }) => {
      if (!scenario.uasc)
        warnings.push(`council ${code} has no UASC settings (uasc is null): it takes no regional NTS transfers`);
    });
  }
  const shared = region.shared;
  const councilCharge = steppers.map((s) => s.charge);
  // shared places are priced at the first council's price base and inflation: its own charge for £1 a week, which
  // follows the run's drawn inflation where inflation is a range (the array is refilled in place at each run's start)
  const sharedCharge = councilCharge[0]!;
  const chargeNow = new Float64Array(N);
  const resPool =
    shared && shared.residentialBeds > 0 ? new SharedPool(N, SHARED_RESIDENTIAL, shared.weeklyCost ?? 0) : null;
  const hubOn = shared !== null && (shared.fosterHouseholds > 0 || shared.fosterRecruitmentPerYear > 0);
  const fosterPool = hubOn ? new SharedPool(N, SHARED_FOSTER, shared!.fosterWeeklyCost ?? 0) : null;
  const hubRecruit = new PoissonTable(hubOn ? shared!.fosterRecruitmentPerYear / 12 : 0);
  const hubLoss = new BinomialTable(hubOn ? shared!.fosterHouseholdLossPerYear / 12 : 0);
  const spellsBefore = new Int32Array(N);
  const regionSeed = streamSeed(region.seed, REGION_STREAM);
  const streams = new Int32Array(2);

  // --- the region's summaries
  const pop = Array.from({ length: CATEGORIES.length + 1 }, () => new CountSeries(H));
  const costMonthly = new SketchSeries(H);
  const fySketch = Array.from({ length: nFY }, () => new LogSketch());
  const overBudget = new Float64Array(nFY);
  const fyTotal = new Float64Array(nFY);
  const uascOn = nts !== null || steppers.some((s) => s.uascOn);
  const uascCount = new CountSeries(H);
  const arrivalsS = new CountSeries(H);
  const notPlacedS = new CountSeries(H);
  const notPlacedTotalS = new CountSeries(1);
  const transfersBy = steppers.map(() => new CountSeries(H));
  const transfersTotalBy = steppers.map(() => new CountSeries(1));
  const transfersRun = new Int32Array(N);
  const resOcc = new CountSeries(H);
  const resPlaces = new CountSeries(H);
  const hubHouseholdsS = new CountSeries(H);
  const hubPlacesS = new CountSeries(H);
  const hubOcc = new CountSeries(H);
  const resCostFY = Array.from({ length: nFY }, () => new LogSketch());
  const hubCostFY = Array.from({ length: nFY }, () => new LogSketch());
  const savingFY = Array.from({ length: nFY }, () => new SignedSketch());
  const resCostRun = new Float64Array(nFY);
  const hubCostRun = new Float64Array(nFY);
  const savingRun = new Float64Array(nFY);
  const regionCounts = new Int32Array(CATEGORIES.length);
  const runTotals = options.collectRunTotals
    ? { financialYears: Array.from({ length: nFY }, () => new Float64Array(R)), horizonTotal: new Int32Array(R) }
    : null;

  const run = (r: number): void => {
    const runSeed = streamSeed(regionSeed, r);
    streams[S_NTS] = streamSeed(runSeed, S_NTS);
    streams[S_HUB] = streamSeed(runSeed, S_HUB);
    for (const s of steppers) s.startRun(r);
    rota.reset();
    fyTotal.fill(0);
    resCostRun.fill(0);
    hubCostRun.fill(0);
    savingRun.fill(0);
    transfersRun.fill(0);
    let notPlacedRun = 0;
    let hubHouseholds = hubOn ? shared!.fosterHouseholds : 0;

    for (let t = 0; t < H; t++) {
      // the fostering hub's households join and leave like a council's own
      if (hubOn) {
        const joins = hubRecruit.sample(uniform(streams, S_HUB));
        const losses = hubLoss.sample(hubHouseholds, uniform(streams, S_HUB));
        hubHouseholds += joins - losses;
      }
      for (let i = 0; i < N; i++) {
        spellsBefore[i] = worlds[i]!.spells;
        room[i] = steppers[i]!.beforeTransfers(t);
      }
      // the NTS rota: the region's transfers to the councils below their thresholds
      let arrivals = 0;
      let notPlaced = 0;
      if (nts) {
        arrivals = ntsTable.sample(uniform(streams, S_NTS));
        given.fill(0);
        notPlaced = rota.allocate(arrivals, room, given);
        notPlacedRun += notPlaced;
      }
      for (let i = 0; i < N; i++) {
        steppers[i]!.arrivals(t, nts ? given[i]! : undefined);
        chargeNow[i] = councilCharge[i]![t]!;
      }
      // shared places
      const f = fyOf[t]!;
      let blockVacancy = 0;
      if (resPool) {
        const beds = shared!.residentialBeds;
        resPool.month(worlds, beds, spellsBefore, chargeNow, t);
        const block = beds * resPool.weeklyCost * sharedCharge[t]!;
        const vacancy = Math.max(0, beds - resPool.occupied) * resPool.weeklyCost * sharedCharge[t]!;
        blockVacancy += vacancy;
        resCostRun[f]! += block;
        savingRun[f]! += resPool.avoided - vacancy;
        resOcc.add(t, resPool.occupied);
        resPlaces.add(t, beds);
      }
      if (fosterPool) {
        const places = Math.max(0, Math.floor(hubHouseholds * shared!.fosterPlacesPerHousehold));
        fosterPool.month(worlds, places, spellsBefore, chargeNow, t);
        const block = places * fosterPool.weeklyCost * sharedCharge[t]!;
        const vacancy = Math.max(0, places - fosterPool.occupied) * fosterPool.weeklyCost * sharedCharge[t]!;
        blockVacancy += vacancy;
        hubCostRun[f]! += block;
        savingRun[f]! += fosterPool.avoided - vacancy;
        hubOcc.add(t, fosterPool.occupied);
        hubPlacesS.add(t, places);
        hubHouseholdsS.add(t, Math.max(0, hubHouseholds));
      }
      // each council's month, and the region's totals
      regionCounts.fill(0);
      let cost = blockVacancy;
      let uasc = 0;
      for (let i = 0; i < N; i++) {
        cost += steppers[i]!.monthEnd(t);
        const w = worlds[i]!;
        for (let k = 0; k < regionCounts.length; k++) regionCounts[k]! += w.counts[k]!;
        uasc += w.uascCount;
        if (uascOn) {
          // the council's transfers: the region's under the rota, else its own
          const got = nts ? given[i]! : steppers[i]!.transfers;
          transfersBy[i]!.add(t, got);
          transfersRun[i]! += got;
          arrivals += nts ? 0 : got;
        }
      }
      let total = 0;
      for (let k = 0; k < regionCounts.length; k++) {
        pop[k]!.add(t, regionCounts[k]!);
        total += regionCounts[k]!;
      }
      pop[regionCounts.length]!.add(t, total);
      costMonthly.add(t, cost);
      fyTotal[f]! += cost;
      if (uascOn) uascCount.add(t, uasc);
      if (uascOn) {
        arrivalsS.add(t, arrivals);
        notPlacedS.add(t, notPlaced);
      }
    }

    // end of run
    for (let i = 0; i < N; i++) steppers[i]!.endRun(r, r + 1 === last);
    for (const s of pop) s.endRun();
    if (uascOn) uascCount.endRun();
    if (uascOn) {
      arrivalsS.endRun();
      notPlacedS.endRun();
      notPlacedTotalS.add(0, notPlacedRun);
      notPlacedTotalS.endRun();
      for (let i = 0; i < N; i++) {
        transfersBy[i]!.endRun();
        transfersTotalBy[i]!.add(0, transfersRun[i]!);
        transfersTotalBy[i]!.endRun();
      }
    }
    if (resPool) {
      resOcc.endRun();
      resPlaces.endRun();
    }
    if (fosterPool) {
      hubOcc.endRun();
      hubPlacesS.endRun();
      hubHouseholdsS.endRun();
    }
    for (let f = 0; f < nFY; f++) {
      fySketch[f]!.add(fyTotal[f]!);
      const b = budgets[f];
      if (b !== undefined && fyTotal[f]! > b) overBudget[f]!++;
      if (runTotals) runTotals.financialYears[f]![r] = fyTotal[f]!;
      if (resPool) resCostFY[f]!.add(resCostRun[f]!);
      if (fosterPool) hubCostFY[f]!.add(hubCostRun[f]!);
      if (shared) savingFY[f]!.add(savingRun[f]!);
    }
    if (runTotals) {
      let total = 0;
      for (const w of worlds) for (let k = 0; k < w.counts.length; k++) total += w.counts[k]!;
      runTotals.horizonTotal[r] = total;
    }
  };

  const first0 = options.runs?.from ?? 0;
  const last = options.runs?.to ?? R;
  if (!(Number.isInteger(first0) && Number.isInteger(last) && first0 >= 0 && first0 < last && last <= R))
    throw new Error(`runs ${first0}–${last} are not a shard of ${R} runs`);
  const progressEvery = Math.max(1, Math.floor((last - first0) / 100));
  let nextRun = first0;
  let merged = false;
  const step = (maxRuns: number): boolean => {
    const end = Math.min(last, nextRun + Math.max(1, Math.floor(Math.min(maxRuns, R))));
    for (let r = nextRun; r < end; r++) {
      run(r);
      const done = r + 1 - first0;
      if (done % progressEvery === 0 || r + 1 === last) {
        options.onProgress?.(done, last - first0);
        if (options.shouldCancel?.()) throw new SimulationCancelled();
      }
    }
    nextRun = end;
    return nextRun >= last;
  };

  // the region's own series, in one order for the plain-data state
  const countList = [
    ...pop,
    uascCount,
    arrivalsS,
    notPlacedS,
    notPlacedTotalS,
    ...transfersBy,
    ...transfersTotalBy,
    resOcc,
    resPlaces,
    hubHouseholdsS,
    hubPlacesS,
    hubOcc,
  ];
  const sketchList = [...fySketch, ...resCostFY, ...hubCostFY, ...savingFY.flatMap((x) => [x.pos, x.neg])];
  const summaryState = (): RegionSummaryState => {
    if (nextRun < last) throw new Error(`summaryState() after ${nextRun - first0} of ${last - first0} runs`);
    return {
      from: first0,
      to: last,
      councils: steppers.map((st) => st.summaryState({ from: first0, to: last })),
      counts: countList.map((c) => c.toState()),
      costMonthly: costMonthly.toState(),
      sketches: sketchList.map((c) => c.toState()),
      overBudget: Array.from(overBudget),
      runTotals: runTotals
        ? {
            financialYears: runTotals.financialYears.map((a) => Array.from(a.subarray(first0, last))),
            horizonTotal: Array.from(runTotals.horizonTotal.subarray(first0, last)),
          }
        : null,
    };
  };
  const mergeSummary = (st: RegionSummaryState): void => {
    if (
      st.councils.length !== N ||
      st.counts.length !== countList.length ||
      st.sketches.length !== sketchList.length ||
      st.overBudget.length !== nFY
    )
      throw new Error('the shard summary is of another region');
    steppers.forEach((c, i) => c.mergeSummary(st.councils[i]!));
    countList.forEach((c, i) => c.merge(st.counts[i]!));
    costMonthly.merge(st.costMonthly);
    sketchList.forEach((c, i) => c.merge(st.sketches[i]!));
    st.overBudget.forEach((v, f) => (overBudget[f]! += v));
    if (runTotals && st.runTotals) {
      runTotals.financialYears.forEach((a, f) => a.set(st.runTotals!.financialYears[f]!, st.from));
      runTotals.horizonTotal.set(st.runTotals.horizonTotal, st.from);
    }
    merged = true;
  };

  const finish = (): RegionalForecastResult => {
    if (!merged && (first0 !== 0 || nextRun < R)) throw new Error(`finish() after ${nextRun} of ${R} runs`);
    const councils = Object.fromEntries(region.councils.map(({ code }, i) => [code, steppers[i]!.finish()]));
    const seriesNames: Series[] = [...CATEGORIES, 'total'];
    const population = Object.fromEntries(seriesNames.map((name, k) => [name, pop[k]!.summary()])) as Record<
      Series,
      Quantiles
    >;
    const financialYears: RegionalFinancialYear[] = fyLabels.map((label, f) => {
      const fy: RegionalFinancialYear = {
        label,
        months: fyMonths[f]!,
        partial: fyMonths[f]! < 12,
        ...fySketch[f]!.scalar(),
      };
      const b = budgets[f];
      if (b !== undefined) {
        fy.budget = b;
        fy.pOverBudget = overBudget[f]! / R;
      }
      return fy;
    });
    let sharedOut: RegionalShared | null = null;
    if (shared) {
      sharedOut = {
        residential: resPool
          ? { places: resPlaces.summary(), occupancy: resOcc.summary(), cost: resCostFY.map((s) => s.scalar()) }
          : null,
        foster: fosterPool
          ? {
              households: hubHouseholdsS.summary(),
              places: hubPlacesS.summary(),
              occupancy: hubOcc.summary(),
              cost: hubCostFY.map((s) => s.scalar()),
            }
          : null,
        saving: fyLabels.map((label, f) => ({ label, ...savingFY[f]!.scalar() })),
      };
    }
    const councilWarnings = region.councils.flatMap(({ code }) =>
      (councils[code]?.warnings ?? []).map((w) => `${code}: ${w}`),
    );
    return {
      name: region.name,
      months,
      runs: R,
      seed: region.seed,
      councilOrder: region.councils.map((c) => c.code),
      councils,
      region: {
        population,
        cost: { monthly: costMonthly.summary(), financialYears },
        uasc: uascOn
          ? {
              count: uascCount.summary(),
              arrivals: arrivalsS.summary(),
              notPlaced: notPlacedS.summary(),
              notPlacedTotal: notPlacedTotalS.scalar(),
              transfersByCouncil: Object.fromEntries(
                region.councils.map(({ code }, i) => [
                  code,
                  { total: transfersTotalBy[i]!.scalar(), monthly: transfersBy[i]!.summary() },
                ]),
              ),
            }
          : null,
        shared: sharedOut,
      },
      ...(runTotals
        ? {
            runTotals: {
              financialYears: runTotals.financialYears.map((a) => Array.from(a)),
              horizonTotal: Array.from(runTotals.horizonTotal),
            },
          }
        : {}),
      warnings: [...warnings, ...councilWarnings],
      elapsedMs: Math.round(performance.now() - started),
    };
  };

  return {
    runs: R,
    get runsDone() {
      return nextRun - first0;
    },
    step,
    finish,
    summaryState,
    mergeSummary,
  };
}
