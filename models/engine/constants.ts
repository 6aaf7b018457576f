/** Constants shared by the engine's files: category and band indices, stream index spaces, table sizes. */
import {
  AGE_BAND_COUNT,
  BAND_START_MONTHS,
  CARE_LEAVING_AGE_MONTHS,
  CATEGORY_COUNT,
  ageBandIndex,
  bandEndMonths,
  categoryIndex,
} from '../placement.js';

export const NC = CATEGORY_COUNT;
export const NB = AGE_BAND_COUNT;
export const IN_HOUSE = categoryIndex.inHouseFoster;
export const AGENCY = categoryIndex.agencyFoster;
export const RESIDENTIAL = categoryIndex.residential;
export const LAST_MONTH_IN_CARE = CARE_LEAVING_AGE_MONTHS - 1; // age 215 at the start of a month: leaves at its end

// A queue entry is (child << 1) | kind; a cancelled entry is -1.
export const KIND_TRANSITION = 0;
export const KIND_LEAVE = 1;

// Stream index spaces under a run seed: initial children 0..; entrants and UASC arrivals above ENTRANT_BASE;
// run-level streams above RUN_STREAM_BASE.
export const ENTRANT_BASE = 1 << 24;
export const MONTH_SLOTS = 1 << 13; // up to 4,096 entrants and 4,096 UASC arrivals a month
export const UASC_OFFSET = 1 << 12;
export const RUN_STREAM_BASE = 1 << 30;
export const S_HOUSEHOLDS = 0;
export const S_ENTRIES = 1;
export const S_UASC = 2;
export const S_CAPACITY = 3;
export const S_PARAMS = 4;
export const S_DRIFT = 5;
export const S_GROUPS = 6;
export const S_INPUTS = 7;
export const S_EXIT_DRIFT = 8;
/** run-level streams: households, entries, UASC, capacity, parameters, drift, groups, inputs, exit drift */
export const RUN_STREAMS = 9;

export const BAND_OF_AGE = Uint8Array.from({ length: CARE_LEAVING_AGE_MONTHS }, (_, a) => ageBandIndex(a));
export const BAND_END = Int32Array.from({ length: NB }, (_, b) => bandEndMonths(b));
export const BAND_WIDTH = Int32Array.from({ length: NB }, (_, b) => bandEndMonths(b) - BAND_START_MONTHS[b]!);
export const BAND_OF_CELL = Uint8Array.from({ length: NB * NC }, (_, cell) => Math.floor(cell / NC));
/** runs recorded per flush of the summary buffers (see `flush` in simulate) */
export const RECORD_BATCH = 16;
/** survival table length: one more than the widest band (72 months) */
export const SURV = 73;
/** outcome slots of an event: exit, then a move to each category */
export const OUT = NC + 1;
/** slices of (0, 1) in the waiting-time guide table */
export const GUIDE = 128;
