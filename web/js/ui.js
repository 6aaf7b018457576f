// Pieces shared by views: the view element, error blocks, job forms, status, polling.
import { api } from './api.js';
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
 * A Delete button that asks first, in its own table cell: the question with Delete (focused) and Keep. Keep puts the
 * cell back as it was and `rewire(cell)` wires its buttons again; Delete calls `remove()` (the DELETE and the redraw).
 * A refusal is shown after `errorsAfter` (default: the cell) and Delete can be pressed again.
 */
export function confirmInCell(button, { question, remove, rewire, errorsAfter }) {
  button.addEventListener('click', () => {
    const cell = button.closest('td');
    const before = cell.innerHTML;
    cell.innerHTML = `<span role="alert">${esc(question)}</span> <button type="button" class="small" data-confirm-delete>Delete</button> <button type="button" class="secondary small" data-keep>Keep</button>`;
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
      } catch (e) {
        (errorsAfter ?? cell).insertAdjacentHTML('beforeend', errorBlock(e));
        yes.disabled = false;
      }
    });
  });
}

/**
 * The Action cell of a run the user may delete (a comparison, a regional forecast: its creator, a finance officer or
 * commissioner); an empty cell for anyone else's. `attr` names the button for its wiring; `what` is read out with it.
 */
export function deleteCell(attr, record, what, mine) {
  if (!mine) return '<td></td>';
  return `<td><button type="button" class="secondary small" ${attr}="${esc(record.id)}">Delete<span class="sr-only"> (${esc(what)})</span></button></td>`;
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
/** Stop polling (a new view is coming). */
export function clearPoll() {
  clearTimeout(pollTimer);
}

export function poll(fn) {
  clearTimeout(pollTimer);
  const tick = async () => {
    const again = await fn().catch((e) => {
      view().insertAdjacentHTML('beforeend', errorBlock(e));
      return false;
    });
    if (again) pollTimer = setTimeout(tick, POLL_MS);
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
