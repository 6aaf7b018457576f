// Pieces shared by views: the view element, error blocks, job forms, status, polling.
import { ANALYSTS, api, can, madeByMe } from './api.js';
import { esc } from './format.js';

const POLL_MS = 1000;

export const $ = (sel, root = document) => root.querySelector(sel);
export const view = () => $('#view');

export function errorBlock(e) {
  const issues = e?.body?.issues;
  const list =
    Array.isArray(issues) && issues.length
      ? `<ul class="issues">${issues
          .slice(0, 20)
          .map(
            (i) =>
              `<li><code>${esc(i.path ?? [i.file, i.row, i.column].filter(Boolean).join(' '))}</code>: ${esc(i.message)}</li>`,
          )
          .join('')}</ul>`
      : '';
  return `<div role="alert"><p class="error">${esc(e?.message ?? e)}</p>${list}</div>`;
}

/**
 * Wires a form that starts a job: its submit button is off while the request is under way, an error is shown in
 * `outSelector`, and the page moves to the hash `create(form)` returns (nothing: stay, e.g. after a message).
 */
export function onCreate(formSelector, outSelector, create) {
  $(formSelector).addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const hash = await create(form);
      if (hash) location.hash = hash;
    } catch (e) {
      $(outSelector).innerHTML = errorBlock(e);
    } finally {
      button.disabled = false;
    }
  });
}

/**
 * A Delete button that asks first, in its own box: the table cell it sits in (a list's Action column) or the
 * `.confirm-box` around it (a detail page's Delete). The box shows the question with Delete (focused) and Keep. Keep
 * puts the box back as it was and `rewire(box)` wires its buttons again; Delete calls `remove()` (the DELETE and the
 * redraw). A refusal is shown after `errorsAfter` (default: the box) and Delete can be pressed again.
 */
export function confirmInCell(button, { question, remove, rewire, errorsAfter }) {
  button.addEventListener('click', () => {
    const cell = button.closest('td, .confirm-box');
    const before = cell.innerHTML;
    cell.innerHTML = `<span role="alert">${esc(question)}</span> <span class="nowrap"><button type="button" class="small" data-confirm-delete>Delete</button> <button type="button" class="secondary small" data-keep>Keep</button></span>`;
    cell.querySelector('[data-keep]').addEventListener('click', () => {
      cell.innerHTML = before;
      rewire(cell);
    });
    const yes = cell.querySelector('[data-confirm-delete]');
    yes.focus();
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await remove();
        // the row went with the run: the keyboard carries on from the note saying what was deleted (a detail page's
        // list is drawn on the hash change, which focuses the page)
        if (!yes.isConnected) view().querySelector('.note[role="status"][tabindex]')?.focus();
      } catch (e) {
        (errorsAfter ?? cell).insertAdjacentHTML('beforeend', errorBlock(e));
        yes.disabled = false;
      }
    });
  });
}

/**
 * Wires every Delete button carrying `attr` in `root` (a list's Action cells, a detail page's box): each asks first
 * (confirmInCell), then `remove(id)` with the id the button carries deletes and redraws; Keep wires it again.
 */
export function wireDeletes(root, attr, { question, remove, errorsAfter }) {
  root.querySelectorAll(`[${attr}]`).forEach((b) =>
    confirmInCell(b, {
      question,
      errorsAfter,
      rewire: (cell) => wireDeletes(cell, attr, { question, remove, errorsAfter }),
      remove: () => remove(b.getAttribute(attr)),
    }),
  );
}

/**
 * The Action cell of a run the user may delete (a scenario, a comparison, a target search, a regional forecast: the
 * API lets only its creator, a finance officer or commissioner, delete one); an empty cell for anyone else's. `attr`
 * names the button for its wiring; `what` is read out with it.
 */
export function deleteCell(attr, record, what) {
  if (!madeByMe(record)) return '<td></td>';
  return `<td data-label="Action"><button type="button" class="secondary small" ${attr}="${esc(record.id)}">Delete<span class="sr-only"> (${esc(what)})</span></button></td>`;
}

/**
 * A list of runs (scenarios, comparisons, target searches, regional forecasts), in a box that scrolls sideways if it
 * must: `columns` are the heads (`{ head, text }`: text reads from the left), `cells(item)` the row's cells in that
 * order (the first, the run's name or link, heads the row), and `action(item)`, when given, the Action cell
 * (deleteCell). On a narrow screen each row stacks, every cell after its column's name (style.css `.runs-table`), so
 * a row asking "… for good?" is read whole at 400 px.
 */
export function runsTable({ id, caption, columns, items, cells, action, empty }) {
  const heads = action ? [...columns, { head: 'Action' }] : columns;
  const cls = (c) => (c.text ? ' class="text"' : '');
  const rows = items.map((item) => {
    const [first, ...rest] = cells(item);
    return `<tr><th scope="row">${first}</th>${rest
      .map((c, i) => `<td data-label="${esc(columns[i + 1].head)}"${cls(columns[i + 1])}>${c}</td>`)
      .join('')}${action ? action(item) : ''}</tr>`;
  });
  if (!items.length && empty) rows.push(`<tr><td colspan="${heads.length}">${empty}</td></tr>`);
  return scrollBox(
    `<table id="${esc(id)}" class="runs-table"><caption>${esc(caption)}</caption><thead><tr>${heads
      .map((c) => `<th scope="col"${cls(c)}>${esc(c.head)}</th>`)
      .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

/** A detail page's Delete (`label`: "Delete this scenario"), asking first in its box; nothing for anyone else's run. */
export function deleteBox(attr, record, label) {
  if (!can(...ANALYSTS) || !madeByMe(record)) return '';
  return `<div class="confirm-box"><button type="button" class="secondary small" ${attr}="${esc(record.id)}">${esc(label)}</button></div>`;
}

let nextNote = '';
/**
 * After a detail page deleted its run: go back to its list (replacing the deleted page in the history, so Back does
 * not lead to it), and the list says `note` once (`takeNote`).
 */
export function backToList(hash, note) {
  clearPoll();
  nextNote = note;
  location.replace(hash);
}
/** The note a detail page left for its list (once), or ''. */
export function takeNote() {
  const n = nextNote;
  nextNote = '';
  return n;
}
/** A note saying what was just done, read out once (`role="status"`); focusable, so focus can move to it. */
export function noteHtml(note, id) {
  return note ? `<p class="note" role="status" tabindex="-1"${id ? ` id="${id}"` : ''}>${esc(note)}</p>` : '';
}

/** Tell screen-reader users about a change of status once, not every poll. */
export function announce(text) {
  const el = $('#announce');
  if (el && el.textContent !== text) el.textContent = text;
}

export function statusBadge(s) {
  return `<span class="status ${esc(s)}">${esc(s)}</span>`;
}

let pollTimer;
/** which poll is current: a tick still under way when its poll was stopped neither reports nor schedules another */
let pollRun = 0;
/** Stop polling (a new view is coming, or the run polled was deleted). */
export function clearPoll() {
  clearTimeout(pollTimer);
  pollRun++;
}

export function poll(fn) {
  clearPoll();
  const run = pollRun;
  const tick = async () => {
    const again = await fn().catch((e) => {
      if (run === pollRun) view().insertAdjacentHTML('beforeend', errorBlock(e));
      return false;
    });
    if (again && run === pollRun) pollTimer = setTimeout(tick, POLL_MS);
  };
  tick();
}

/** The dataset forecasts use: the one marked current (per council), else the newest. */
export async function newestDatasetId() {
  const page = await api('GET', '/datasets?limit=20');
  const items = page.items ?? page ?? [];
  return (items.find((d) => d.current) ?? items[0])?.id;
}

/** What a role that may not use a form sees instead of it. */
export function readOnlyNote(what) {
  return `<p class="panel note">Your role can read results here but not ${esc(what)}: finance officers and commissioners can. Ask one of them, or read the results below.</p>`;
}

export function numberOrUndefined(form, name) {
  const v = form.elements[name]?.value?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export const RUNS_FIELD = `<div class="field"><label for="f-runs">Monte Carlo runs <span class="hint">more runs, steadier figures</span></label><input id="f-runs" name="runs" type="number" min="100" max="20000" step="100" value="1000" required></div>`;

/**
 * A wide table in a box that scrolls sideways on a narrow screen (the page itself does not); focusable, and named
 * by the table's caption, so keyboard users can scroll it too.
 */
export function scrollBox(tableHtml) {
  const caption = /<caption>([\s\S]*?)<\/caption>/.exec(tableHtml)?.[1]?.replace(/<[^>]+>/g, '') ?? 'Table';
  return `<div class="table-scroll" role="region" tabindex="0" aria-label="${caption.replace(/"/g, '&quot;')}">${tableHtml}</div>`;
}
