// Front end of `pneumo serve`. Plain DOM code: the server's CSP allows only this file as script,
// and every string from the user or the server goes through textContent, never innerHTML.
'use strict';

const $ = (id) => document.getElementById(id);
const el = {
  file: $('file'), drop: $('drop-zone'), status: $('status'), error: $('error'), result: $('result'),
  fileInfo: $('file-info'), verdict: $('verdict'), gaugeWrap: $('gauge-wrap'), gauge: $('gauge'),
  marker: $('gauge-marker'), markerLabel: $('gauge-marker-label'), threshold: $('gauge-threshold'),
  thresholdLabel: $('gauge-threshold-label'), distance: $('gauge-distance'), timing: $('timing'),
  preview: $('preview'), note: $('image-note'), heatmap: $('heatmap'), heatmapNote: $('heatmap-note'),
  explain: $('heatmap-explain'), tokenRow: $('token-row'), token: $('token'), retry: $('token-retry'),
  batch: $('batch'), batchRows: $('batch-rows'), batchCaption: $('batch-caption'), model: $('model'),
};

// One object holds what the image area shows, so the <img> error event and the server reply,
// which can arrive in either order, both just call renderImage().
const state = {
  objectUrl: null, originalBroken: false, heatmap: null, file: null,
  lastFiles: null, token: '', requestId: 0, controller: null,
};

// The one format for a probability on this page: "97.3%", never rounded to a certainty it does not
// have (0.9996 is ">99.9%", not "100.0%").
const pct = (p) => (!Number.isFinite(p) ? '?' : p > 0.999 && p < 1 ? '>99.9%' : p < 0.001 && p > 0 ? '<0.1%'
  : (p * 100).toFixed(1) + '%');
const num3 = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : null);
const rate = (v) => (typeof v === 'number' && Number.isFinite(v) ? pct(v) : null);

function bytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / (1024 * 1024)).toFixed(1) + ' MB';
}

// "2026-11-26T07:37:50Z" -> "26 November 2026, 07:37 UTC"; anything unparsable is shown as given.
function humanDate(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const day = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return day + ', ' + time + ' UTC';
}

// Builds an element whose text is set as text, never parsed as HTML.
function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function setError(message) {
  el.error.textContent = message || '';
  el.error.hidden = !message;
}

function setBusy(text) {
  el.status.textContent = text || '';
  el.status.classList.toggle('busy', Boolean(text));
}

// ---- requests ----------------------------------------------------------------------------------

// One prediction request. Resolves to {ok: true, data} or {ok: false, status, message}; rejects only
// when aborted.
function predict(file, signal) {
  const body = new FormData();
  body.append('image', file, file.name);
  const headers = {};
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  return fetch('/api/v1/predictions?heatmap=true', { method: 'POST', body, headers, signal })
    .then(async (res) => {
      if (res.ok) return { ok: true, data: await res.json() };
      const problem = await readProblem(res);
      return {
        ok: false, status: res.status,
        message: problem.detail || problem.title || ('The request failed (HTTP ' + res.status + ').'),
      };
    })
    .catch((err) => {
      if (err.name === 'AbortError') throw err;
      return {
        ok: false, status: 0,
        message: err instanceof SyntaxError ? 'The server sent a reply this page cannot read. Please try again.'
          : 'Could not reach the server. Check that pneumo serve is running, then try again.',
      };
    });
}

// Problem details (RFC 9457) when the server sent them; a proxy may send HTML instead, so fall back.
async function readProblem(res) {
  try {
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('json')) return await res.json();
  } catch (e) { /* unreadable body: use the status */ }
  return {};
}

// A new choice of files replaces whatever was running.
function begin() {
  if (state.controller) state.controller.abort();
  state.controller = new AbortController();
  setError('');
  el.result.hidden = true; // never leave an old verdict next to a new file
  el.batch.hidden = true;
  return ++state.requestId;
}

function startFiles(list) {
  const files = Array.from(list || []);
  if (!files.length) return;
  state.lastFiles = files;
  if (files.length === 1) startUpload(files[0]); else startBatch(files);
}

function askForToken(message) {
  el.tokenRow.hidden = false;
  setError(message + ' Enter the access token below, then retry.');
  el.token.focus();
}

function startUpload(file) {
  const id = begin();
  if (state.objectUrl) URL.revokeObjectURL(state.objectUrl);
  state.objectUrl = URL.createObjectURL(file);
  state.file = file;
  state.originalBroken = false;
  state.heatmap = null;
  renderFileInfo();
  renderImage(); // starts decoding now (still hidden), so a DICOM's <img> error usually comes early
  el.verdict.replaceChildren();
  setBusy('Analysing... ' + file.name);

  predict(file, state.controller.signal).then((r) => {
    if (id !== state.requestId) return;
    setBusy('');
    if (r.ok) showPrediction(r.data);
    else if (r.status === 401) askForToken(r.message);
    else setError(r.message);
  }).catch(() => { /* aborted: a newer choice owns the page */ });
}

// ---- one result --------------------------------------------------------------------------------

// The API marks an image unlike the training data with inScope === false; the page then gives no verdict.
const outOfScope = (data) => data && data.inScope === false;

function showPrediction(data) {
  const p = Number(data.probability);
  const t = Number(data.threshold);
  const label = String(data.label || (p >= t ? 'PNEUMONIA' : 'NORMAL'));

  if (outOfScope(data)) {
    // Out of scope: no confident verdict. The model's answer stays visible, but only as an unreliable detail;
    // no gauge, which would draw it as a finding.
    el.verdict.replaceChildren(make('strong', 'verdict-label', 'Not reliable for this image'), ' ',
      make('span', 'verdict-detail', 'This image is unlike the pediatric chest X-rays the model was trained on ('
        + String(data.scopeReason || 'out of scope') + '). Its answer would have been ' + label
        + ' (probability of pneumonia ' + pct(p) + '), which should not be trusted.'));
    el.verdict.className = 'verdict is-out-of-scope';
    el.verdict.setAttribute('role', 'alert');
    el.gaugeWrap.hidden = true;
  } else {
    el.verdict.replaceChildren(make('strong', 'verdict-label', label), ' ',
      make('span', 'verdict-detail', 'probability of pneumonia ' + pct(p) + ' (threshold ' + pct(t) + ')'));
    // Inside the guard's cut but still unusual (the API's scopeNote): the verdict stands, with a caution under it.
    if (typeof data.scopeNote === 'string' && data.scopeNote) {
      el.verdict.append(make('span', 'verdict-note', 'Caution, an unusual image: ' + data.scopeNote + '.'));
    }
    el.verdict.className = 'verdict ' + (label === 'PNEUMONIA' ? 'is-pneumonia' : 'is-normal');
    el.verdict.removeAttribute('role');
    el.gaugeWrap.hidden = false;
    renderGauge(p, t);
  }

  const ms = data.timing && Number(data.timing.totalMs);
  el.timing.textContent = Number.isFinite(ms) ? 'Server time ' + ms.toFixed(1) + ' ms' : '';
  if (data.modelId) el.timing.textContent += (el.timing.textContent ? ' · ' : '') + 'model ' + data.modelId;

  // The heatmap picture carries its own verdict, so an out-of-scope image gets none.
  state.heatmap = !outOfScope(data) && typeof data.heatmap === 'string' && data.heatmap.startsWith('data:image/')
    ? data.heatmap : null;
  el.heatmapNote.textContent = outOfScope(data) ? 'No heatmap: the model is not reliable for this image.'
    : 'No heatmap for this image.';
  el.result.hidden = false;
  renderImage();
}

function renderGauge(p, t) {
  const clamp = (v) => Math.min(100, Math.max(0, v * 100));
  const place = (node, v) => { node.style.left = clamp(v) + '%'; };
  // A label slides from left-aligned at 0 to right-aligned at 1, so it never leaves a narrow bar.
  const placeLabel = (node, v) => { place(node, v); node.style.transform = 'translateX(-' + clamp(v) + '%)'; };
  place(el.marker, p);
  placeLabel(el.markerLabel, p);
  place(el.threshold, t);
  placeLabel(el.thresholdLabel, t);
  el.markerLabel.textContent = 'probability ' + pct(p);
  el.thresholdLabel.textContent = 'threshold ' + pct(t);
  el.marker.className = 'gauge-marker ' + (p >= t ? 'is-pneumonia' : 'is-normal');
  const side = p >= t ? 'above' : 'below';
  el.distance.textContent = 'The probability ' + pct(p) + ' is ' + side + ' the threshold ' + pct(t) + '.';
  el.gauge.setAttribute('aria-label', 'Probability gauge from 0% to 100%: probability ' + pct(p)
    + ', threshold ' + pct(t) + ', ' + side + ' the threshold');
}

// Name, size and (once the browser has decoded it) the pixel size of the file the verdict belongs to.
function renderFileInfo() {
  const f = state.file;
  if (!f) return;
  const parts = [bytes(f.size)];
  if (el.preview.naturalWidth && el.preview.getAttribute('src') === state.objectUrl && !state.originalBroken) {
    parts.push(el.preview.naturalWidth + ' × ' + el.preview.naturalHeight + ' px');
  }
  el.fileInfo.replaceChildren(make('span', 'file-name', f.name), ' ', make('span', 'file-meta', parts.join(' · ')));
}

// The X-ray and its heatmap sit side by side in frames of fixed shape, so nothing moves when either loads.
function renderImage() {
  if (!state.originalBroken && state.objectUrl) {
    if (el.preview.getAttribute('src') !== state.objectUrl) el.preview.src = state.objectUrl;
    el.preview.hidden = false;
  } else {
    el.preview.removeAttribute('src');
    el.preview.hidden = true;
  }
  el.note.hidden = !state.originalBroken;
  el.note.textContent = state.originalBroken ? 'This file (for example DICOM) cannot be previewed in the browser.' : '';
  if (state.heatmap) {
    if (el.heatmap.getAttribute('src') !== state.heatmap) el.heatmap.src = state.heatmap;
    el.heatmap.hidden = false;
  } else {
    el.heatmap.removeAttribute('src');
    el.heatmap.hidden = true;
  }
  el.heatmapNote.hidden = Boolean(state.heatmap);
  el.explain.hidden = !state.heatmap;
}

el.preview.addEventListener('error', () => {
  // Only the blob URL can be an undecodable original.
  if (el.preview.getAttribute('src') === state.objectUrl) {
    state.originalBroken = true;
    renderImage();
    renderFileInfo();
  }
});
el.preview.addEventListener('load', renderFileInfo);

// ---- several files -----------------------------------------------------------------------------

// One request per file, in order, each row filled in as its answer comes.
async function startBatch(files) {
  const id = begin();
  el.batchRows.replaceChildren();
  const rows = files.map((file) => {
    const verdict = make('td', 'batch-verdict muted', 'waiting');
    const tr = make('tr');
    tr.append(make('td', 'batch-file', file.name), make('td', 'batch-size', bytes(file.size)), verdict);
    el.batchRows.append(tr);
    return { tr, verdict };
  });
  el.batchCaption.textContent = 'Verdicts for ' + files.length + ' files';
  el.batch.hidden = false;
  const signal = state.controller.signal;
  try {
    for (let i = 0; i < files.length; i++) {
      setBusy('Analysing ' + (i + 1) + ' of ' + files.length + '... ' + files[i].name);
      const r = await predict(files[i], signal);
      if (id !== state.requestId) return;
      showRow(rows[i], r);
      if (!r.ok && r.status === 401) askForToken(r.message);
    }
    setBusy('');
  } catch (e) { /* aborted: a newer choice owns the page */ }
}

function showRow(row, r) {
  const cell = row.verdict;
  cell.replaceChildren();
  if (!r.ok) {
    cell.className = 'batch-verdict is-error';
    cell.append(make('strong', null, 'error'), ' ', make('span', null, r.message));
  } else if (outOfScope(r.data)) {
    cell.className = 'batch-verdict is-out-of-scope';
    cell.append(make('strong', null, 'out of scope'), ' ', make('span', null, r.data.scopeReason || ''));
  } else {
    const d = r.data;
    const p = Number(d.probability);
    const label = String(d.label || (p >= Number(d.threshold) ? 'PNEUMONIA' : 'NORMAL'));
    cell.className = 'batch-verdict ' + (label === 'PNEUMONIA' ? 'is-pneumonia' : 'is-normal');
    cell.append(make('strong', null, label), ' ', make('span', null, 'probability ' + pct(p)));
    if (typeof d.scopeNote === 'string' && d.scopeNote) {
      cell.append(' ', make('span', 'batch-note', '(unusual image: check it)'));
    }
  }
}

// ---- inputs ------------------------------------------------------------------------------------

el.file.addEventListener('change', () => {
  startFiles(el.file.files);
  el.file.value = ''; // so choosing the same file again fires `change`
});

['dragenter', 'dragover'].forEach((type) => el.drop.addEventListener(type, (e) => {
  e.preventDefault();
  el.drop.classList.add('dragging');
}));
['dragleave', 'dragend'].forEach((type) => el.drop.addEventListener(type, () => el.drop.classList.remove('dragging')));
el.drop.addEventListener('drop', (e) => {
  e.preventDefault();
  el.drop.classList.remove('dragging');
  startFiles(e.dataTransfer && e.dataTransfer.files);
});
// A file dropped beside the zone would otherwise make the browser navigate away from the page.
['dragover', 'drop'].forEach((type) => window.addEventListener(type, (e) => e.preventDefault()));

function useToken() {
  state.token = el.token.value.trim();
  if (state.lastFiles) startFiles(state.lastFiles);
}
el.token.addEventListener('input', () => { state.token = el.token.value.trim(); });
el.token.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); useToken(); } });
el.retry.addEventListener('click', useToken);

// ---- model card --------------------------------------------------------------------------------

function addSection(title, rows) {
  const present = rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!present.length) return;
  const dl = make('dl');
  present.forEach(([k, v]) => dl.append(make('dt', null, k), make('dd', null, v)));
  el.model.append(make('h3', null, title), dl);
}

function showModel(m) {
  el.model.textContent = '';
  const input = m.input || {};
  const th = m.threshold || {};
  const v = m.validation || {};
  const size = input.imageSize ? input.imageSize + ' × ' + input.imageSize : null;
  addSection('Summary', [
    ['Model id', m.modelId],
    ['Architecture', m.architecture],
    ['Parameters', Number.isFinite(m.parameterCount) ? m.parameterCount.toLocaleString('en') : null],
    ['Input', size && (size + (input.channels ? ', ' + input.channels + ' channel' + (input.channels > 1 ? 's' : '') : ''))],
    ['Classes', Array.isArray(m.classes) ? m.classes.join(', ') : null],
    ['Threshold', rate(th.value)],
    ['Threshold method', th.method],
    ['Created', humanDate(m.created)],
  ]);
  addSection('Validation', [
    ['Images', Number.isFinite(v.images) ? String(v.images) : null],
    ['ROC AUC', num3(v.rocAuc)],
    ['Accuracy', rate(v.accuracy)],
    ['Sensitivity', rate(v.sensitivity)],
    ['Specificity', rate(v.specificity)],
  ]);
  const card = m.card || {};
  addSection('Model card', [['Intended use', card.intendedUse], ['Not for', card.notFor], ['Data', card.data]]);
  addList('Not tested on', card.notTestedOn);
  addList('Known failure modes', card.failureModes);
}

function addList(title, items) {
  const texts = Array.isArray(items) ? items.filter(Boolean) : [];
  if (!texts.length) return;
  const ul = make('ul');
  texts.forEach((text) => ul.append(make('li', null, text)));
  el.model.append(make('h3', null, title), ul);
}

fetch('/api/v1/model', { headers: { Accept: 'application/json' } })
  .then((res) => { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
  .then(showModel)
  .catch(() => {
    // The model card is information only; uploads keep working without it.
    el.model.replaceChildren(make('p', 'muted', 'Model information could not be loaded.'));
  });
