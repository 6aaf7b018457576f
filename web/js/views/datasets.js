// Datasets (data managers): uploads with council, period, stock, quality and the current flag; upload files, a folder
// or a zip from the browser with progress; problems as a sortable table, downloadable as CSV; choose the current
// dataset; run the monthly forecast now. The API is described in docs/datasets-api.md.
import { API, api, can, token } from '../api.js';
import { count, esc, int, localTime, longMonth } from '../format.js';
import { $, confirmInCell, errorBlock, view } from '../ui.js';

const JSON_FILE = /\.json$/i;
const TEXT = /\.(csv|txt)$/i;

/** A file's bytes as a data URL (base64): what the API takes for workbooks, zips and text that is not UTF-8. */
const dataUrl = (f) =>
  new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(new Error(`could not read ${f.name}`));
    r.onload = () => resolve(r.result);
    r.readAsDataURL(f);
  });

/**
 * One file as the API wants it: JSON as text; a CSV as text when it is UTF-8 (the smallest body), else as its bytes,
 * so that the service reads Excel's Windows-1252 or UTF-16 files in their own encoding (docs/ingest.md); workbooks
 * and zips as bytes.
 */
async function readFile(f) {
  if (JSON_FILE.test(f.name)) return f.text();
  if (!TEXT.test(f.name)) return dataUrl(f);
  const bytes = new Uint8Array(await f.arrayBuffer());
  try {
    // a UTF-8 byte-order mark is kept, so the service can say it removed it
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return dataUrl(f);
  }
}

/** Read the chosen files as the API wants them (readFile), reporting each one read. */
function readFiles(files, onProgress) {
  let done = 0;
  return Promise.all(
    [...files].map((f) =>
      readFile(f).then(
        (data) => {
          onProgress(++done, files.length);
          return [f.webkitRelativePath || f.name, data];
        },
        () => {
          throw new Error(`could not read ${f.name}`);
        },
      ),
    ),
  ).then((entries) => Object.fromEntries(entries));
}

/** POST with upload progress (fetch cannot report it). Resolves with { status, body }. */
function postWithProgress(path, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API + path);
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('authorization', `Bearer ${token()}`);
    xhr.setRequestHeader('idempotency-key', crypto.randomUUID());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new Error('the upload did not reach the service'));
    xhr.onload = () => {
      let parsed;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = { message: xhr.responseText.slice(0, 200) };
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.send(JSON.stringify(body));
  });
}

/**
 * A 413 from the gateway in front of the service (past 10 MB it answers before the service, "Request Entity Too Large"):
 * said as the service says its own (its size in MB, and what to do). Undefined for any other answer.
 */
function tooLarge(res, body) {
  if (res.status !== 413 || /MB/.test(res.body.message ?? '')) return undefined;
  const mb = (JSON.stringify(body).length / 2 ** 20).toFixed(1);
  return `the upload is ${mb} MB, more than one request may carry: send the files as one .zip (read as the files in it are, a tenth of their size) or fewer years at a time`;
}

const COLUMNS = [
  ['severity', 'Severity'],
  ['file', 'File'],
  ['row', 'Row'],
  ['column', 'Column'],
  ['code', 'Rule'],
  ['message', 'Problem'],
  ['action', 'What was done'],
];

function problemsTable(problems, sortKey = 'severity', asc = true) {
  const sorted = [...problems].sort((a, b) => {
    const x = a[sortKey] ?? '';
    const y = b[sortKey] ?? '';
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y), 'en-GB', { numeric: true });
    return asc ? c : -c;
  });
  return `<table id="problems-table"><caption>Problems found (${int.format(problems.length)}); choose a column heading to sort</caption><thead><tr>${COLUMNS.map(
    ([k, h]) =>
      `<th scope="col"${k === 'row' ? '' : ' class="text"'} aria-sort="${k === sortKey ? (asc ? 'ascending' : 'descending') : 'none'}"><button type="button" class="sort" data-sort="${k}">${esc(h)}</button></th>`,
  ).join('')}</tr></thead><tbody>${sorted
    .slice(0, 1000)
    // words read from the left; only the row number is a number
    .map(
      (p) =>
        `<tr>${COLUMNS.map(([k]) => `<td${k === 'row' ? '' : ' class="text"'}>${esc(p[k] ?? '')}</td>`).join('')}</tr>`,
    )
    .join(
      '',
    )}</tbody></table>${sorted.length > 1000 ? `<p class="hint">The first 1,000 of ${int.format(sorted.length)} are shown; the CSV has them all.</p>` : ''}`;
}

function problemsCsv(problems) {
  const q = (v) => {
    const s = String(v ?? '');
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[COLUMNS.map(([, h]) => h), ...problems.map((p) => COLUMNS.map(([k]) => p[k]))].map((r) => r.map(q).join(',')).join('\r\n')}\r\n`;
}

function showProblems(where, problems, title) {
  let key = 'severity';
  let asc = true;
  const render = () => {
    where.innerHTML = `<h3>${esc(title)}</h3>${
      problems.length
        ? `<p><button type="button" class="secondary" id="problems-csv">Download problems (CSV)</button></p>${problemsTable(problems, key, asc)}`
        : '<p>No problems found.</p>'
    }`;
    where.querySelectorAll('button.sort').forEach((b) =>
      b.addEventListener('click', () => {
        asc = key === b.dataset.sort ? !asc : true;
        key = b.dataset.sort;
        render();
        where.querySelector(`button[data-sort="${key}"]`)?.focus();
      }),
    );
    $('#problems-csv', where)?.addEventListener('click', () => {
      const url = URL.createObjectURL(new Blob([problemsCsv(problems)], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'problems.csv';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  };
  render();
}

/** A monthly forecast labelled by its data: "Latest: December 2026, data to 2018-03-31 (complete)". */
function forecastLine(f) {
  const label = f.label ?? (f.dataEnd ? `data to ${f.dataEnd}` : 'data end not recorded');
  return `Latest: ${longMonth(f.month ?? f.id ?? '')}, ${label}${f.status ? ` (${f.status})` : ''}`;
}

// one link, named apart from the navigation's ("Overview", "Service"), to what the forecast says
const SEE_FORECAST = '<a href="#/">See what the latest forecast says</a>';

/** "1 error, 5 warnings" */
const plural = (n, one) => `${int.format(n)} ${one}${n === 1 ? '' : 's'}`;
function qualityText(q) {
  if (!q) return '–';
  return `${plural(q.errors ?? 0, 'error')}, ${plural(q.warnings ?? 0, 'warning')}`;
}

async function listDatasets() {
  const page = await api('GET', '/datasets?limit=50');
  const items = page.items ?? [];
  const manager = can('data-manager');
  return `<table id="datasets-table"><caption>Uploads, newest first</caption><thead><tr><th scope="col">Uploaded</th><th scope="col" class="text">Council</th><th scope="col" class="text">Period</th><th scope="col">Children in care at the end</th><th scope="col">Quality</th><th scope="col">Current</th>${manager ? '<th scope="col">Action</th>' : ''}</tr></thead><tbody>
    ${items.length === 0 ? `<tr><td colspan="${manager ? 7 : 6}">No uploads yet.</td></tr>` : ''}
    ${items
      .map(
        (d) =>
          `<tr><th scope="row"><a href="#/datasets/${encodeURIComponent(d.id)}">${esc(localTime(d.createdAt))}</a></th><td class="text">${esc(d.council ?? 'default')}</td><td class="text"><span class="nowrap">${esc(d.period?.start ?? '')}</span> to <span class="nowrap">${esc(d.period?.end ?? '')}</span></td><td>${count(d.stock?.total ?? d.counts?.children)}</td><td>${esc(qualityText(d.quality))}</td><td>${d.current ? '<strong>current</strong>' : 'no'}</td>${
            manager
              ? `<td>${d.current ? '' : `<button type="button" class="secondary small" data-current="${esc(d.id)}">Make current<span class="sr-only"> (${esc(localTime(d.createdAt))})</span></button> `}<button type="button" class="secondary small" data-delete="${esc(d.id)}">Delete<span class="sr-only"> (${esc(localTime(d.createdAt))})</span></button></td>`
              : ''
          }</tr>`,
      )
      .join('')}</tbody></table>`;
}

export async function datasetsView() {
  view().innerHTML = '<h2>Datasets</h2><p>Loading…</p>';
  const manager = can('data-manager');
  const forecasts = await api('GET', '/forecasts').catch(() => ({ items: [] }));
  const latest = (forecasts.items ?? [])[0];
  view().innerHTML = `<h2>Datasets</h2>
    ${
      manager
        ? `<form class="form panel" id="upload-form" novalidate>
      <h3>Upload placement records</h3>
      <p>SSDA903 CSVs (header, episodes, UASC), Excel workbooks or a zip, as you keep them: year folders such as <code>2017-18/</code> are read as collection years.</p>
      <div class="grid">
        <div class="field"><label for="u-files">Files <span class="hint">.csv, .xlsx or .zip; choose several</span></label><input id="u-files" name="files" type="file" multiple accept=".csv,.txt,.xlsx,.zip"></div>
        <div class="field"><label for="u-folder">Or a folder</label><input id="u-folder" name="folder" type="file" webkitdirectory multiple></div>
        <div class="field"><label for="u-council">Council <span class="hint">leave empty for this service's council</span></label><input id="u-council" name="council" type="text" maxlength="80" autocomplete="off"></div>
        <div class="field"><label for="u-mode">Rows with errors</label><select id="u-mode" name="mode"><option value="strict">Refuse the upload (strict)</option><option value="lenient">Drop those rows, keep the rest (lenient)</option></select></div>
      </div>
      <button type="submit">Upload</button>
      <p><progress id="u-progress" max="100" value="0" aria-label="Upload progress" hidden></progress> <span id="u-status" aria-live="polite"></span></p>
      <div id="u-out"></div>
    </form>`
        : '<p class="panel note">Data managers upload records here; your role can read the list.</p>'
    }
    <section class="panel" aria-labelledby="fc-h"><h3 id="fc-h">Monthly forecast</h3>
      <p id="fc-latest">${latest ? esc(forecastLine(latest)) : 'No monthly forecast yet.'}</p>
      <p id="fc-see"${latest?.status === 'complete' ? '' : ' hidden'}>${SEE_FORECAST}</p>
      ${manager ? '<button type="button" id="run-forecast">Run the monthly forecast now</button> <span id="fc-status" aria-live="polite"></span>' : ''}
    </section>
    <div id="datasets-list">${await listDatasets()}</div>
    <div id="problems"></div>`;
  wireList();
  if (!manager) return;
  $('#run-forecast').addEventListener('click', async (ev) => {
    ev.target.disabled = true;
    $('#fc-status').textContent = 'Queued… this takes a minute or so.';
    try {
      const f = await api('POST', '/forecasts/run', {});
      // the forecast runs as a job: follow it until it is complete or failed
      let now = f.forecast;
      while (now && (now.status === 'queued' || now.status === 'running')) {
        $('#fc-status').textContent =
          now.status === 'running'
            ? `Running… ${Math.round(now.progress ?? 0)}%`
            : 'Queued… this takes a minute or so.';
        await new Promise((r) => setTimeout(r, 1000));
        now = await api('GET', `/forecasts/${encodeURIComponent(now.month)}`);
      }
      if (now?.status === 'failed') throw new Error(`The monthly forecast failed: ${now.reason ?? 'no reason given'}`);
      // the list says what the forecast is made from, whatever the run's answer holds
      const latestNow = ((await api('GET', '/forecasts')).items ?? [])[0] ?? now;
      $('#fc-status').textContent = f.created
        ? `Done${f.replaced ? ' (it replaces the forecast made from the previous current dataset)' : ''}.`
        : 'This month already has a forecast from the current data.';
      $('#fc-latest').textContent = forecastLine(latestNow);
      $('#fc-see').hidden = latestNow?.status !== 'complete';
    } catch (e) {
      $('#fc-status').innerHTML = errorBlock(e);
    } finally {
      ev.target.disabled = false;
    }
  });
  $('#upload-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const files = [...form.elements.files.files, ...form.elements.folder.files];
    const status = $('#u-status');
    const bar = $('#u-progress');
    if (!files.length) {
      status.innerHTML = '<span class="error">Choose files, a folder or a zip first.</span>';
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    bar.hidden = false;
    try {
      const read = await readFiles(files, (k, n) => {
        bar.value = (k / n) * 30;
        status.textContent = `Reading files: ${k} of ${n}`;
      });
      const body = { format: 'ssda903', files: read, mode: form.elements.mode.value };
      const council = form.elements.council.value.trim();
      if (council) body.council = council;
      const res = await postWithProgress('/datasets', body, (share) => {
        bar.value = 30 + share * 60;
        status.textContent = share < 1 ? `Uploading: ${Math.round(share * 100)}%` : 'Checking the records…';
      });
      bar.value = 100;
      const q = res.body.quality ?? {};
      if (res.status === 200 || res.status === 201) {
        status.textContent = `${res.status === 201 ? 'Stored' : 'Already stored (same content)'}: ${res.body.period?.start ?? ''} to ${res.body.period?.end ?? ''}, ${count(res.body.stock?.total ?? res.body.counts?.children)} children in care at the end; ${qualityText(q)}.`;
        $('#datasets-list').innerHTML = await listDatasets();
        wireList();
      } else {
        // strict mode and rows with errors: say how to keep the rest (a refusal is about the whole upload: no such hint)
        const rowErrors = (q.problems ?? []).some(
          (p) => p.severity === 'error' && p.row !== null && p.row !== undefined,
        );
        const hint =
          !q.refusal && rowErrors && form.elements.mode.value === 'strict'
            ? ' To keep the other rows, choose “Drop those rows, keep the rest (lenient)” under Rows with errors and upload again; or correct the rows listed below.'
            : '';
        status.innerHTML = `<span class="error">Not stored: ${esc(tooLarge(res, body) ?? res.body.message ?? '')}${q.refusal ? ` — ${esc(q.refusal.message)}` : ''}.${esc(hint)}</span>`;
      }
      // every answer carries the first problems (docs/datasets-api.md); older services keep them on the dataset
      let problems = q.problems ?? res.body.issues ?? [];
      if (!q.problems && res.body.id)
        problems =
          (await api('GET', `/datasets/${encodeURIComponent(res.body.id)}`).catch(() => ({}))).qualityReport
            ?.problems ?? problems;
      showProblems(
        $('#problems'),
        problems,
        `Problems in this upload${q.problemsTotal > problems.length ? ` (first ${problems.length} of ${q.problemsTotal})` : ''}`,
      );
    } catch (e) {
      status.innerHTML = errorBlock(e);
    } finally {
      button.disabled = false;
    }
  });
}

/** After a delete: what happened, in words (docs/datasets-api.md, DELETE /datasets/{id}). */
function deletedText(res) {
  return res.currentCleared
    ? 'Deleted. It was the current dataset, so none is current now: make another one current or upload new records before the next monthly forecast.'
    : 'Deleted.';
}

function wireList(root = view()) {
  root.querySelectorAll('[data-delete]').forEach(wireDelete);
  root.querySelectorAll('[data-current]').forEach((b) =>
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await api('POST', `/datasets/${encodeURIComponent(b.dataset.current)}/current`, {});
        $('#datasets-list').innerHTML = await listDatasets();
        wireList();
      } catch (e) {
        $('#datasets-list').insertAdjacentHTML('beforeend', errorBlock(e));
        b.disabled = false;
      }
    }),
  );
}

/** Delete asks first, in the row itself ("… for good?" with Delete and Keep); Keep puts the row back as it was. */
function wireDelete(b) {
  confirmInCell(b, {
    question: 'Delete this upload and everything stored from it, for good?',
    rewire: wireList,
    errorsAfter: $('#datasets-list'),
    remove: async () => {
      const res = await api('DELETE', `/datasets/${encodeURIComponent(b.dataset.delete)}`);
      $('#datasets-list').innerHTML =
        `${await listDatasets()}<p class="note" role="status">${esc(deletedText(res))}</p>`;
      wireList();
    },
  });
}

export async function datasetView(id) {
  view().innerHTML = '<h2>Dataset</h2><p>Loading…</p>';
  const d = await api('GET', `/datasets/${encodeURIComponent(id)}`);
  const problems = d.qualityReport?.problems ?? d.quality?.problems ?? [];
  const notes = d.qualityReport?.notes ?? d.quality?.notes ?? [];
  view().innerHTML = `<h2>Dataset uploaded ${esc(localTime(d.createdAt))}</h2>
    <dl class="facts"><dt>Council</dt><dd>${esc(d.council ?? 'default')}</dd><dt>Period</dt><dd>${esc(d.period?.start ?? '')} to ${esc(d.period?.end ?? '')}${d.period?.source ? ` (${esc(d.period.source)})` : ''}</dd>
    <dt>Children in care at the end</dt><dd>${count(d.stock?.total ?? d.counts?.children)}</dd><dt>Quality</dt><dd>${esc(qualityText(d.quality))}</dd><dt>Current</dt><dd>${d.current ? 'yes: forecasts use it' : 'no'}</dd></dl>
    ${notes.length ? `<h3>Notes</h3><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
    <div id="problems"></div><p><a href="#/datasets">All datasets</a></p>`;
  showProblems($('#problems'), problems, 'Problems');
}
