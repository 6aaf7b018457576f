/**
 * The Monte Carlo forecast engine: the month loop.
 *
 * Semantics (the README states them too; tests pin them). Monthly steps; in month t:
 *  0. Capacity (when not null): households join Poisson(recruitmentPerYear/12) and leave
 *     Binomial(households, householdLossPerYear/12); in-house places = floor(households × placesPerHousehold).
 *  1. Every child in care at the start of the month, in its age band at the start of the month, makes one categorical
 *     draw: exit with exitProbability, move to j with moveProbability[..][j], else stay. Moves into in-house fostering
 *     are resolved after the month's exits and other moves: with no free place the child goes to agency fostering with
 *     probability agencyAvailability, else to residential, and counts as overflow.
 *  2. The child ages one month; at 216 months (18) it leaves care.
 *  3. Non-UASC entrants arrive: Poisson(entriesPerMonth[band][category] × entries.multiplier), each with an age drawn
 *     uniformly over the months of its band (its age at the end of the month). They are in the end-of-month count and
 *     face no exit that month. An entrant into in-house fostering with no free place overflows as in step 1.
 *  4. Capacity: when places are below occupancy the excess children (chosen at random) move to agency fostering; when
 *     places are free, each agency-fostered child moves in-house with stepAcrossProbability (up to the free places).
 *  5. UASC: threshold(t) = round(rate in force on the month's last day × child population). Spontaneous arrivals always
 *     arrive, except that from 24 August 2022 those that would take the count above the threshold are referred on;
 *     then NTS transfers arrive only while the UASC count is below the threshold and never take it above.
 *  6. A child in a placement at the end of the month is charged for the whole month: weekly cost × days / 7, at prices
 *     of the financial year containing costs.priceBase, × (1 + inflation) for each later financial year. A cost given
 *     as {min, mode, max} is triangular, drawn once per placement spell and kept while the spell lasts.
 *
 * How it is fast: the monthly categorical draw of step 1 is never simulated month by month. A child whose exit-or-move
 * hazard is q per month waits a Geometric(q) number of months (one uniform), so each child costs a draw only when
 * something happens to it: an exit, a move, a new age band (hazards change), or its 18th birthday. Events sit in a
 * bucket queue by month. Summaries go into histograms and sketches whose size does not grow with the number of runs.
 *
 * Common random numbers: each child has its own random stream keyed by (seed, run, child serial) — initial children by
 * position, entrants by (month, order of arrival) — and run-level events (households, entries, UASC, capacity choices)
 * have their own streams. Two scenarios run with the same seed meet the same randomness wherever their paths agree.
 * A child's placement costs and overflow destination come from a second stream of its own (World.cst), so a variant
 * that changes only a cost (a range made fixed, a price) or the agency availability leaves its events' draws alone.
 */
import { financialYearLabel, financialYearStart, monthFromIndex, monthIndex } from '../calendar.js';
import { isTriangular, monthlyChargePerWeeklyPound } from '../costs.js';
import { CATEGORIES } from '../placement.js';
import { mix32, streamSeed, uniform } from '../random.js';
import type { ForecastResult } from '../result.js';
import { budgetOf, type Scenario } from '../scenario.js';
import { assembleResult } from './assemble.js';
import { Carers } from './carers.js';
import { IN_HOUSE, RUN_STREAMS, RUN_STREAM_BASE, S_ENTRIES, S_INPUTS, UASC_OFFSET } from './constants.js';
import { Entries } from './entries.js';
import { ExitDrift } from './exit-drift.js';
import { InputDraws } from './inputs.js';
import { expandInitial } from './initial.js';
import { type MonthFlows, Recorder, type RecorderState } from './recorder.js';
import { PosteriorDraws } from './posterior.js';
import { buildTables, pointRates } from './rates.js';
import { type SimulateOptions, type Simulation, SimulationCancelled } from './types.js';
import { StayingPut } from './staying-put.js';
import { UascArrivals } from './uasc-arrivals.js';
import { UascGrant } from './uasc-grant.js';
import { World } from './world.js';

/** Runs the whole simulation at once. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): ForecastResult {
  const sim = createSimulation(scenario, options);
  sim.step(Infinity);
  return sim.finish();
}

/**
 * One council's simulation as a host steps it: a run starts, then each month runs in three phases — steps 0–4 and
 * step 5's draws (`beforeTransfers`, which returns the NTS transfers the council could take), step 5's arrivals
 * (`arrivals`, with the transfers a regional rota offers, or else the council's own draw) and step 6 (`monthEnd`) —
 * and the run ends. A region steps its councils' phases in turn with the coupling between them (models/region/);
 * `createSimulation` steps one council alone through the same code, so a council alone is exactly as before.
 */
export interface CouncilStepper {
  readonly world: World;
  /** pounds for one child for month t at £1 a week (this run's, when inflation is a range) */
  readonly charge: Float64Array;
  readonly uascOn: boolean;
  /** the NTS transfers that arrived in the month just placed */
  readonly transfers: number;
  startRun(r: number): void;
  beforeTransfers(t: number): number;
  arrivals(t: number, offered?: number): void;
  /** step 6: records the month; returns its cost */
  monthEnd(t: number): number;
  endRun(r: number, lastRun: boolean): void;
  /** the result of the runs recorded (and merged) */
  finish(): ForecastResult;
  /** the summaries of runs [from, to), recorded here, as plain data for a merge elsewhere (models/engine/shards.ts) */
  summaryState(runs: { from: number; to: number }): RecorderState;
  /** add the summaries of another shard's runs */
  mergeSummary(state: RecorderState): void;
}

/**
 * A simulation that can be run in steps: `step(n)` runs up to n more runs; `finish()` summarises them. The result is
 * the same whatever the steps, because run r always uses the streams of (seed, r).
 */
export function createSimulation(scenario: Scenario, options: SimulateOptions = {}): Simulation {
  const R = scenario.runs;
  const council = createCouncilStepper(scenario, options);
  const runs = runRange(council, scenario.horizonMonths, { from: 0, to: R }, options);
  return {
    runs: R,
    get runsDone() {
      return runs.next;
    },
    step: runs.step,
    finish: () => {
      if (runs.next < R) throw new Error(`finish() after ${runs.next} of ${R} runs`);
      return council.finish();
    },
  };
}

/**
 * Runs [from, to) of a council in steps (a whole simulation's, or a shard's: ./shards.ts): `step(n)` runs up to n more
 * and says whether all are done; progress is reported over the range's own runs, with a stop checked at each report.
 */
export function runRange(
  council: CouncilStepper,
  H: number,
  { from, to }: { from: number; to: number },
  options: Pick<SimulateOptions, 'onProgress' | 'shouldCancel'>,
): { step(maxRuns: number): boolean; readonly next: number } {
  const n = to - from;
  const progressEvery = Math.max(1, Math.floor(n / 100));
  let next = from;
  return {
    get next() {
      return next;
    },
    step(maxRuns) {
      const end = Math.min(to, next + Math.max(1, Math.floor(Math.min(maxRuns, n))));
      for (let r = next; r < end; r++) {
        council.startRun(r);
        for (let t = 0; t < H; t++) {
          council.beforeTransfers(t);
          council.arrivals(t);
          council.monthEnd(t);
        }
        council.endRun(r, r + 1 === to);
        const done = r + 1 - from;
        if (done % progressEvery === 0 || done === n) {
          options.onProgress?.(done, n);
          if (options.shouldCancel?.()) throw new SimulationCancelled();
        }
      }
      next = end;
      return next >= to;
    },
  };
}

/** One council's simulation, stepped by a host (see CouncilStepper). */
export function createCouncilStepper(scenario: Scenario, options: SimulateOptions = {}): CouncilStepper {
  const started = performance.now();
  const s = scenario;
  const H = s.horizonMonths;
  const R = s.runs;
  const start = monthIndex(s.start);
  const months = Array.from({ length: H }, (_, t) => monthFromIndex(start + t));

  // --- per-month constants: the charge for £1 a week, financial years, budgets
  const inputs = new InputDraws(s);
  const chargeAt = (inflation: number) =>
    Float64Array.from({ length: H }, (_, t) => monthlyChargePerWeeklyPound(start + t, s.costs.priceBase, inflation));
  // the same charge for a run's drawn inflation, without the calendar work: days ÷ 7 × (1 + inflation)^(years from
  // the price base), the parts fixed once (the same arithmetic as monthlyChargePerWeeklyPound, so the same values)
  const weeksIn = Float64Array.from({ length: H }, (_, t) =>
    monthlyChargePerWeeklyPound(start + t, s.costs.priceBase, 0),
  );
  const yearsFromBase = Int32Array.from(
    { length: H },
    (_, t) => financialYearStart(start + t) - financialYearStart(monthIndex(s.costs.priceBase)),
  );
  // (1 + inflation)^y once per financial year from the price base (the same power, so the same values)
  const maxYears = Math.max(0, ...yearsFromBase);
  const minYears = Math.min(0, ...yearsFromBase);
  const powers = new Float64Array(maxYears - minYears + 1);
  const chargeInto = (inflation: number, out: Float64Array): void => {
    for (let y = minYears; y <= maxYears; y++) powers[y - minYears] = (1 + inflation) ** y;
    for (let t = 0; t < H; t++) out[t] = weeksIn[t]! * powers[yearsFromBase[t]! - minYears]!;
  };
  const charge = chargeAt(inputs.point.annualInflation);
  const fyStart0 = financialYearStart(start);
  const fyOf = Int32Array.from({ length: H }, (_, t) => financialYearStart(start + t) - fyStart0);
  const nFY = fyOf[H - 1]! + 1;
  const fyMonths = new Int32Array(nFY);
  for (let t = 0; t < H; t++) fyMonths[fyOf[t]!]!++;
  const fyLabels = Array.from({ length: nFY }, (_, f) => financialYearLabel(fyStart0 + f));
  const budgetsGiven = fyLabels.map((l) => budgetOf(s.budgets[l]));
  const budgets = budgetsGiven.map((b) => b?.amount);
  const budgetNet = budgetsGiven.map((b) => b?.net === true);
  const costs = CATEGORIES.map((c) => s.costs.weekly[c]);
  // a category with its own inflation (costs.inflationByCategory) has its own charge; the rest follow the overall rate
  const ownCharge = CATEGORIES.map((c) => {
    const own = s.costs.inflationByCategory?.[c];
    return own === undefined ? null : chargeAt(own);
  });
  // Staying Put (priced like in-house fostering) and the UASC grant
  const stayingPut = s.stayingPut ? new StayingPut(s.stayingPut, H) : null;
  const grant = s.uascGrant ? new UascGrant(s.uascGrant, s, start) : null;
  const triangular = costs.map((c) => isTriangular(c));
  // a category's monthly cost gets a sketch of its own when it varies between runs other than through the count
  const inflationDrawn = inputs.uncertain('inflation');
  const sketched = triangular.map((tri) => tri || inflationDrawn);

  // --- the parts: rates, carers, UASC, the children, the recorder
  const multiplierDrawn = inputs.uncertain('entries');
  const point = pointRates(s, multiplierDrawn ? 1 : inputs.point.entriesMultiplier);
  let rates = point;
  let tables = buildTables(point);
  const paramsUncertain = s.uncertainty.parameters && s.parameters.evidence !== undefined;
  const posterior = paramsUncertain ? new PosteriorDraws(s, point) : null;
  const carers = s.capacity ? new Carers(inputs.point) : null;
  let agencyAvailability = carers ? carers.agencyAvailability : 1;
  const uasc = s.uasc ? new UascArrivals(s.uasc, H, start, inputs.point) : null;
  const entries = new Entries(s, H, multiplierDrawn);
  const exitDrift = new ExitDrift(s, H);
  const capacityDrawn = carers !== null && inputs.uncertain('capacity');
  const populationDrawn = uasc !== null && inputs.uncertain('population');
  const grantPopulationDrawn = grant !== null && grant.hasHigherRate && inputs.uncertain('population');
  const uascRatesDrawn = uasc !== null && inputs.uncertain('uasc');
  const warnings: string[] = [];
  const initial = expandInitial(s, warnings);
  const world = new World(H, costs);
  world.trackAgedOut = stayingPut !== null;
  const runStreams = new Int32Array(RUN_STREAMS);
  const recorder = new Recorder({
    horizon: H,
    runs: R,
    fyOf,
    nFY,
    charge: Float64Array.from(charge),
    sketched,
    budgets,
    budgetNet,
    ownCharge,
    capacityOn: carers !== null,
    uascOn: uasc !== null,
    stayingPutWeekly: s.stayingPut ? s.stayingPut.weekly : null,
    // Staying Put is charged like in-house fostering: per run when that charge is (the overall rate, drawn)
    stayingPutSketched: inflationDrawn && ownCharge[IN_HOUSE] === null,
    grantOn: grant !== null,
    collectRunTotals: options.collectRunTotals === true,
  });
  const flows: MonthFlows = {
    moves: 0,
    exits: 0,
    entries: 0,
    overflow: 0,
    households: 0,
    places: 0,
    transfers: 0,
    spontaneous: 0,
    referred: 0,
    uascThreshold: 0,
    stayingPut: 0,
    stayingPutStarts: 0,
    grant: 0,
  };

  const onMonthEnd = options.onMonthEnd;
  // the run being stepped, its streams' parent
  let runNow = 0;
  let runMix = 0;

  // One run: its streams and rates, the initial stock, then the month loop (the numbered steps of the semantics).
  const startRun = (r: number): void => {
    runNow = r;
    const runSeed = streamSeed(s.seed, r);
    runMix = mix32(runSeed); // childSeed(runMix, i) = streamSeed(runSeed, i)
    for (let k = 0; k < RUN_STREAMS; k++) runStreams[k] = streamSeed(runSeed, RUN_STREAM_BASE + k);
    if (posterior) rates = posterior.ratesFor(r);
    if (exitDrift.on) {
      exitDrift.startRun(runStreams);
      tables = exitDrift.tables(rates);
    } else if (posterior) tables = posterior.tables();
    if (inputs.paths.length > 0) {
      inputs.draw(runStreams[S_INPUTS]!);
      if (capacityDrawn) carers!.configure(inputs.run);
      if (populationDrawn) uasc!.configurePopulation(inputs.run);
      if (grantPopulationDrawn) grant!.configurePopulation(inputs.run);
      if (uascRatesDrawn) uasc!.configureRates(inputs.run);
      if (inflationDrawn) chargeInto(inputs.run.annualInflation, recorder.charge); // in place: hosts hold the array
    }
    if (entries.varies) entries.startRun(runStreams, inputs.run.entriesMultiplier);
    agencyAvailability = carers ? carers.agencyAvailability : 1;
    world.q = tables.q;
    world.survival = tables.survival;
    world.guide = tables.guide;
    world.reset();
    carers?.startRun();
    stayingPut?.startRun();
    recorder.startRun();
    world.start(initial, runMix);
  };

  const beforeTransfers = (t: number): number => {
    // 0. carer households (and the Staying Put spells that end, freeing their beds)
    if (stayingPut) {
      stayingPut.monthStart(t);
      carers?.hold(stayingPut.held);
    }
    carers?.month(runStreams);
    // 1–2. the month's draws (only children with an event this month), ageing out at 18; moves into in-house
    //      fostering are placed after the month's exits
    world.runEvents(t, tables.outCum, carers !== null, exitDrift.on ? exitDrift.accept : null);
    flows.moves = world.moves;
    flows.exits = world.exits;
    // 2b. Staying Put: young people turning 18 in foster care may stay on, keeping an in-house carer's bed
    if (stayingPut) {
      stayingPut.ageOut(world, t);
      carers?.hold(stayingPut.held);
      flows.stayingPut = stayingPut.count;
      flows.stayingPutStarts = stayingPut.starts;
    }
    flows.overflow = carers ? carers.placeMovesIn(world, t) : 0;
    // 3. non-UASC entrants
    const places = carers ? carers.places : Infinity;
    if (entries.grouped) {
      flows.entries = entries.month(world, t, tables, rates, runMix, runStreams, places, agencyAvailability);
      flows.overflow += entries.overflow;
    } else {
      // children alone: at this run's drifting or drawn rate, else from the fixed rate's table (one call site of enter)
      const nNew = entries.varies
        ? entries.count(t, tables, runStreams)
        : Math.min(tables.entryTable.sample(uniform(runStreams, S_ENTRIES)), UASC_OFFSET);
      flows.overflow += world.enter(t, nNew, tables.entryAlias, runMix, places, agencyAvailability);
      flows.entries = nNew;
    }
    // 4. capacity: places below occupancy, then step-across into free places
    if (carers) flows.moves += carers.rebalance(world, t, runStreams);
    // 5. UASC: the month's draws; the room left for NTS transfers
    return uasc ? uasc.draw(world, t, runStreams) : 0;
  };

  const arrivals = (t: number, offered?: number): void => {
    // 5. UASC arrivals: spontaneous, then transfers (the council's own draw unless a regional rota offers them)
    if (!uasc) return;
    flows.entries += uasc.place(world, t, runMix, carers ? carers.places : Infinity, agencyAvailability, offered);
    flows.overflow += uasc.overflow;
    flows.transfers = uasc.transfers;
    flows.spontaneous = uasc.spontaneous;
    flows.referred = uasc.referred;
    flows.uascThreshold = uasc.threshold[t]!;
  };

  const monthEnd = (t: number): number => {
    // 6. end-of-month counts, the month's charge and the UASC grant income
    if (grant) flows.grant = grant.month(world, t);
    flows.households = carers ? carers.households : 0;
    flows.places = carers ? carers.places : 0;
    const monthCost = recorder.month(t, world, flows);
    if (onMonthEnd)
      onMonthEnd(runNow, t, {
        counts: world.counts,
        places: flows.places,
        households: flows.households,
        overflow: flows.overflow,
        uascCount: world.uascCount,
        uascThreshold: flows.uascThreshold,
        transfers: flows.transfers,
        spontaneous: flows.spontaneous,
        referredOn: flows.referred,
        monthCost,
      });
    return monthCost;
  };

  // the entry drift used, reported also where the data did not support one (0, and the basis says why)
  const entryDriftReported =
    entries.driftSd > 0 || (s.parameters.entryDrift !== undefined && s.uncertainty.drift !== false);
  const finish = (): ForecastResult =>
    assembleResult({
      scenario: s,
      months,
      recorder,
      costs,
      sketched,
      charge,
      fyLabels,
      fyMonths,
      budgets,
      budgetNet,
      ownCharge,
      stayingPutWeekly: s.stayingPut ? s.stayingPut.weekly : null,
      grantOn: grant !== null,
      threshold: uasc ? uasc.pointThreshold : null,
      uncertainty:
        inputs.paths.length > 0 ||
        paramsUncertain ||
        entryDriftReported ||
        entries.groupSizes.length > 0 ||
        s.parameters.exitDrift !== undefined
          ? {
              inputs: inputs.paths,
              parameters: paramsUncertain,
              entryDrift: entryDriftReported
                ? { sdPerYear: entries.driftSd, startSd: entries.startSd, basis: s.parameters.entryDrift?.basis }
                : null,
              ...(s.parameters.exitDrift !== undefined
                ? {
                    exitDrift: {
                      sdPerYear: exitDrift.sdPerYear,
                      startSd: exitDrift.startSd,
                      basis:
                        s.uncertainty.exitDrift === false
                          ? 'switched off (uncertainty.exitDrift: false)'
                          : s.parameters.exitDrift.basis,
                    },
                  }
                : {}),
              entryGroups:
                entries.groupSizes.length > 0
                  ? { meanSize: entries.meanGroupSize, basis: s.parameters.entryGroups?.basis }
                  : null,
            }
          : undefined,
      warnings,
      elapsedMs: Math.round(performance.now() - started),
    });

  return {
    world,
    get charge() {
      return recorder.charge;
    },
    uascOn: uasc !== null,
    get transfers() {
      return flows.transfers;
    },
    startRun,
    beforeTransfers,
    arrivals,
    monthEnd,
    endRun: (r, lastRun) => recorder.endRun(r, world, lastRun),
    finish,
    summaryState: (runs) => recorder.toState(runs),
    mergeSummary: (state) => recorder.merge(state),
  };
}
