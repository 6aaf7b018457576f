/**
 * The committee report (.docx) a finance officer attaches to a budget-monitoring or corporate-parenting paper:
 * a plain-English summary with money, the fan charts as pictures, the financial-year table, the inputs and their
 * sources, and the method in a paragraph. Written with the `docx` package. Each chart goes in as SVG (sharp in
 * Word 2016 and later) with a PNG fallback rendered here (functions/render/png.ts) for any reader that lacks SVG.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { ComparisonSummary } from '#models/compare';
import type { CouncilLineSummary } from '../../models/region/compare.js';
import type { ForecastResult } from '#models/result';
import { chartSvg, shortMoney } from '../../web/js/chart-core.js';
import { money, pct } from '../../web/js/format.js';
import {
  inputLabel,
  parameterLabel,
  RECRUITMENT,
  readableWarning,
  savingAxisTitle,
  savingBarLabel,
  sweepName,
} from '../../web/js/input-labels.js';
import { emptyPlacesCost } from '../../web/js/derive.js';
import { headlineYear, METHOD, REGION_METHOD, regionSummarySentence, summarySentence } from '../../web/js/words.js';
import { forecastChart } from './chart.js';
import { councilName, inputRows } from './inputs.js';
import { svgToPng } from './png.js';

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** chart size in the document, pixels at 96 to the inch: 16 cm wide */
const IMAGE_WIDTH = 605;

const longDate = (d: Date): string =>
  d.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

function para(text: string, opts: { bold?: boolean; size?: number } = {}): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text, bold: opts.bold, size: opts.size })],
    spacing: { after: 120 },
  });
}
const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_1) =>
  new Paragraph({ text, heading: level, spacing: { before: 240, after: 120 } });

function cell(text: string, header = false, right = false): TableCell {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: right ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [new TextRun({ text, bold: header, size: 18 })],
      }),
    ],
  });
}

function table(head: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: head.map((h, i) => cell(h, true, i > 0)) }),
      ...rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, false, i > 0)) })),
    ],
  });
}

/** An SVG chart as a picture: SVG with a PNG fallback, sized to the page, with alt text. */
async function picture(svg: string, alt: string): Promise<Paragraph> {
  const m = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  const w = Number(m?.[1] ?? 800);
  const h = Number(m?.[2] ?? 420);
  const height = Math.round((IMAGE_WIDTH * h) / w);
  const png = await svgToPng(svg, IMAGE_WIDTH * 2);
  return new Paragraph({
    children: [
      new ImageRun({
        type: 'svg',
        data: Buffer.from(svg),
        fallback: { type: 'png', data: png },
        transformation: { width: IMAGE_WIDTH, height },
        altText: { name: alt, title: alt, description: alt },
      }),
    ],
    spacing: { after: 160 },
  });
}

/**
 * The financial-year table: gross P10/P50/P90, the budget (marked when it is net of the UASC grant) and the chance over
 * it; where the result has them, Staying Put and the grant (means) and the net median, as GET /scenarios/{id} gives them.
 */
function costTable(result: ForecastResult): Table {
  const years = result.cost.financialYears;
  const stayingPut = years.some((f) => f.stayingPut);
  const grant = years.some((f) => f.grantIncome);
  const net = years.some((f) => f.net);
  return table(
    [
      'Financial year',
      'P10',
      'P50 (median)',
      'P90',
      'Budget',
      'Chance over budget',
      ...(stayingPut ? ['Staying Put (mean)'] : []),
      ...(grant ? ['UASC grant (mean)'] : []),
      ...(net ? ['Net P50'] : []),
    ],
    years.map((f) => [
      f.partial ? `${f.label} (${f.months} months)` : f.label,
      money(f.p10),
      money(f.p50),
      money(f.p90),
      f.budget !== undefined && f.budgetBasis === 'net' ? `${money(f.budget)} net` : money(f.budget),
      pct(f.pOverBudget),
      ...(stayingPut ? [money(f.stayingPut?.mean)] : []),
      ...(grant ? [money(f.grantIncome?.mean)] : []),
      ...(net ? [money(f.net?.p50)] : []),
    ]),
  );
}

function inputsSection(scenario: unknown, result: ForecastResult): (Paragraph | Table)[] {
  const rows = inputRows(scenario, (result as { inputs?: unknown }).inputs, { ordered: true });
  const shown = rows.slice(0, 80);
  return [
    heading('Inputs and their sources'),
    para(
      'The figures the forecast was run with. Where a figure came from a council profile, the placement records or a published source, the source is named. A figure given as a range is drawn afresh in each simulated future: “between a and b, most likely c (triangular)” is a triangular range; “a–b (8 in 10)” means 8 in 10 futures draw a value between a and b. The name in brackets is the input’s name in the scenario file and the Excel export.',
    ),
    table(
      ['Input', 'Value', 'Source'],
      shown.map((r, i) => {
        const source = r.source ?? 'scenario setting';
        // a long source shared by a run of rows (one note on the capacity figures) is printed once
        const repeat = i > 0 && source.length > 40 && (shown[i - 1]?.source ?? 'scenario setting') === source;
        return [
          r.label ?? r.path,
          r.text ?? String(r.value),
          `${repeat ? 'as above' : source}${r.label && r.label !== r.path ? ` (${r.path})` : ''}`,
        ];
      }),
    ),
    ...(rows.length > shown.length
      ? [
          para(
            `The first ${shown.length} of ${rows.length} inputs are listed (the rates by age and placement come last); the Excel export has them all.`,
          ),
        ]
      : []),
  ];
}

function document(title: string, children: (Paragraph | Table)[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'Placement forecast',
    title,
    description: 'Placement sufficiency and cost forecast',
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

export interface ScenarioReportInput {
  id: string;
  scenario: unknown;
  result: ForecastResult;
  /** recorded children in care before the forecast, for the first chart */
  history?: { month: string; value: number }[];
  generatedAt: Date;
}

export async function scenarioReport(x: ScenarioReportInput): Promise<Buffer> {
  const r = x.result;
  const years = r.cost.financialYears;
  const head = headlineYear(years);
  const later = years.filter((f) => f !== head && !f.partial);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: `Placement forecast: ${r.scenarioName}`, heading: HeadingLevel.TITLE }),
    para(
      `Made ${longDate(x.generatedAt)} from ${r.runs.toLocaleString('en-GB')} simulated futures, ${r.months[0]} to ${r.months[r.months.length - 1]}. Scenario ${x.id}.`,
    ),
    heading('Summary'),
    para(summarySentence(head), { bold: true }),
    ...later.map((f) => para(summarySentence(f))),
    ...(r.inHouse
      ? [
          para(
            `Over the forecast, a median of ${Math.round(r.inHouse.overflowTotal.p50)} children would need an in-house foster place and find none (P10–P90: ${Math.round(r.inHouse.overflowTotal.p10)} to ${Math.round(r.inHouse.overflowTotal.p90)}), and are placed with agencies or in residential care instead.`,
          ),
        ]
      : []),
    heading('Cost by financial year'),
    await picture(forecastChart(r, 'cost'), `Fan chart of placement cost by financial year with the budget`),
    costTable(r),
    para(
      `P10–P90 holds 8 in 10 simulated futures; P50 is the median. Money in pounds, with inflation.${years.some((f) => f.net) ? ' The cost is gross (Staying Put included); net is gross less UASC grant income, future by future. A budget marked net is compared with the net cost.' : ''}`,
    ),
    heading('Children in care'),
    await picture(
      forecastChart(r, 'total', x.history),
      'Fan chart of all children in care by month, with the recorded history before the forecast',
    ),
    await picture(forecastChart(r, 'residential'), 'Fan chart of children in residential care by month'),
    ...inputsSection(x.scenario, r),
    heading('Method'),
    para(METHOD),
    ...(r.uncertainty?.inputs?.length
      ? [
          para(
            `Inputs given as ranges, drawn once per simulated future: ${r.uncertainty.inputs.map((p) => inputLabel(p).label.replace(/ \([^)]*\)$/, '')).join('; ')}.`,
          ),
        ]
      : []),
    ...(r.warnings.length ? [heading('Warnings'), ...r.warnings.map((w) => para(readableWarning(String(w))))] : []),
  ];
  return document(`Placement forecast: ${r.scenarioName}`, children);
}

export interface ComparisonReportInput {
  id: string;
  summary: ComparisonSummary;
  base: unknown;
  /** the swept input's dotted path, for a sweep (its name titles the chart's axis and names the base's value) */
  sweepPath?: string;
  /** the swept input's value in the base, when known */
  baseValue?: number;
  generatedAt: Date;
}

/**
 * One year of a variant: its median cost with, in brackets, the chance over that year's budget or "no budget" — a
 * chance, never a cost level ("£45.6m (0% over budget)" read as on budget) — and the net median where the result has
 * one; a net budget's chance follows the net figure it was tested on.
 */
function comparisonCell(f: ComparisonSummary['variants'][number]['financialYears'][number]): string {
  const gross = shortMoney(f.p50);
  if (f.budget !== undefined && f.pOverBudget !== undefined && f.budgetBasis === 'net')
    return `${gross}; net ${shortMoney(f.net?.p50 ?? f.p50)} (${pct(f.pOverBudget)} chance over the ${shortMoney(f.budget)} net budget)`;
  const chance =
    f.budget === undefined || f.pOverBudget === undefined ? 'no budget' : `${pct(f.pOverBudget)} chance over budget`;
  return `${gross} (${chance})${f.net ? `; net ${shortMoney(f.net.p50)}` : ''}`;
}

type RegionalSummary = ComparisonSummary & { regional?: boolean };

type RegionalVariant = ComparisonSummary['variants'][number] & { councils?: CouncilLineSummary[] };

export async function comparisonReport(x: ComparisonReportInput): Promise<Buffer> {
  const s = x.summary;
  const variants = s.variants.filter((v) => v.isBase || x.baseValue === undefined || v.value !== x.baseValue);
  const name = (v: (typeof s.variants)[number]): string =>
    v.isBase
      ? x.baseValue !== undefined && x.sweepPath !== undefined
        ? `Base: ${sweepName(x.sweepPath, x.baseValue)} (today’s plan)`
        : 'Base (today’s plan)'
      : v.name;
  const others = variants.filter((v) => v.saving);
  const best = [...others].sort((a, b) => (b.saving?.horizon.mean ?? 0) - (a.saving?.horizon.mean ?? 0))[0];
  const savingSvg = chartSvg({
    title: 'Saving against the base over the whole forecast',
    width: 800,
    height: 400,
    x: {
      labels: others.map((v) => savingBarLabel(v, x.sweepPath)),
      title: savingAxisTitle(others, x.sweepPath),
    },
    y: { title: '£ saved over the forecast', format: 'money', zero: true },
    bars: {
      items: others.map((v) => ({
        mean: v.saving?.horizon.mean ?? 0,
        lo: v.saving?.horizon.p10 ?? 0,
        hi: v.saving?.horizon.p90 ?? 0,
      })),
      label: 'Mean saving',
      rangeLabel: 'P10–P90 of the saving',
    },
  });
  const baseRow = variants.find((v) => v.isBase);
  // the year the scenario report speaks of: the first whole year with a budget, else the first whole year
  const baseYear = baseRow?.financialYears.length ? headlineYear(baseRow.financialYears) : undefined;
  // a regional base: each council's own saving, paired run by run like the region's (models/region/compare.ts)
  const regional = (s as RegionalSummary).regional === true;
  const memberCount = (baseRow as RegionalVariant | undefined)?.councils?.length ?? 0;
  // a council's sweep of recruitment compares targets; anything else (a region's hub or contract, a council's named
  // plans, a sweep of another input) compares plans
  const recruiting = !regional && x.sweepPath === RECRUITMENT;
  const plan = recruiting
    ? { one: 'target', many: 'targets', head: 'Target' }
    : { one: 'plan', many: 'plans', head: 'Plan' };
  const line = (
    v: string,
    who: string,
    h: { mean: number; se: number; p10: number; p90: number; pSaves: number } | undefined,
  ) => [
    v,
    who,
    h ? shortMoney(h.mean) : '–',
    h ? shortMoney(h.se) : '–',
    h ? `${shortMoney(h.p10)} to ${shortMoney(h.p90)}` : '–',
    h ? pct(h.pSaves) : '–',
  ];
  // each council's line, then what the region pays on top (shared places left empty) and the region's own saving, so
  // the lines add up to the region's: its saving in a run is the councils' savings less the change in that block cost
  const councilRows = regional
    ? (others as RegionalVariant[]).flatMap((v) => {
        const lines = (v.councils ?? []).map((c) => line(v.name, councilName(x.base, c.code), c.saving?.horizon));
        const region = v.saving?.horizon;
        if (!region || !v.councils?.every((c) => c.saving)) return lines;
        const empty = emptyPlacesCost(v);
        return [
          ...lines,
          ...(empty !== null
            ? [[v.name, 'Shared places left empty (change in their block cost)', shortMoney(empty), '–', '–', '–']]
            : []),
          line(v.name, 'Region (total)', region),
        ];
      })
    : [];
  const title = regional
    ? 'Regional plans compared'
    : recruiting
      ? 'Recruitment targets compared'
      : x.sweepPath !== undefined
        ? `${parameterLabel(x.sweepPath)}: values compared`
        : 'Plans compared';
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: title, heading: HeadingLevel.TITLE }),
    para(
      `Made ${longDate(x.generatedAt)}; ${s.runs.toLocaleString('en-GB')} simulated futures per ${plan.one}, the same for every ${plan.one} (common random numbers), so differences are the ${plan.many}’ effect. Comparison ${x.id}.`,
    ),
    heading('Summary'),
    ...(baseYear
      ? [
          para(
            `${regional && memberCount ? regionSummarySentence(baseYear, memberCount) : summarySentence(baseYear)} (today’s plan)`,
            { bold: true },
          ),
        ]
      : []),
    ...(best?.saving
      ? [
          para(
            `${best.name} would ${best.saving.horizon.mean >= 0 ? 'save' : 'add'} ${shortMoney(Math.abs(best.saving.horizon.mean))} over the forecast against today’s plan (8 in 10 futures between ${shortMoney(best.saving.horizon.p10)} and ${shortMoney(best.saving.horizon.p90)}).`,
          ),
        ]
      : []),
    heading('Savings'),
    await picture(
      savingSvg,
      `Bar chart of the mean saving of each ${plan.one} against the base, with P10–P90 whiskers`,
    ),
    ...(councilRows.length
      ? [
          heading('Savings by council'),
          table(['Variant', 'Council', 'Mean saving', 'Standard error', 'P10 to P90', 'Futures cheaper'], councilRows),
          para(
            'Each council’s own cost against its cost in the base, future by future, over the whole forecast (positive = cheaper). The region’s saving is the councils’ savings added together, less any rise in the block cost of shared places left empty (the region pays for them whether used or not). A saving within about two standard errors of zero cannot be told from no effect at this number of futures.',
          ),
        ]
      : []),
    heading('Cost and chance of exceeding the budget, by financial year'),
    table(
      [plan.head, ...s.financialYears],
      variants.map((v) => [name(v), ...v.financialYears.map(comparisonCell)]),
    ),
    para(
      `Median cost of each year, with the chance of exceeding that year’s budget in brackets.${variants.some((v) => v.financialYears.some((f) => f.net)) ? ' The cost is gross (Staying Put included); net is gross less UASC grant income, future by future. A budget marked net is compared with the net cost, and its chance follows the net figure.' : ''}`,
    ),
    heading('Children at the end of the forecast'),
    table(
      [plan.head, 'Residential', 'Agency fostering', 'In-house overflow (whole forecast)'],
      variants.map((v) => [
        name(v),
        `${Math.round(v.horizon.residential.p50)}`,
        `${Math.round(v.horizon.agencyFoster.p50)}`,
        v.overflowTotal ? `${Math.round(v.overflowTotal.p50)}` : '–',
      ]),
    ),
    para(
      regional
        ? 'In-house overflow: children who would have gone to one of their own council’s foster carers but found no free place, added up across the region’s councils over the whole forecast.'
        : 'In-house overflow: children who would have gone to one of the council’s own foster carers but found no free place, counted over the whole forecast.',
    ),
    heading('Method'),
    para(regional ? REGION_METHOD : METHOD),
  ];
  return document(title, children);
}
