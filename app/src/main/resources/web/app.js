// Front end of `pneumo serve`. Plain DOM code: the server's CSP allows only this file as script,
// and every string from the user or the server goes through textContent, never innerHTML.
'use strict';

const $ = (id) => document.getElementById(id);
const el = {
  file: $('file'), drop: $('drop-zone'), status: $('status'), error: $('error'), result: $('result'),
  verdict: $('verdict'), gauge: $('gauge'), marker: $('gauge-marker'), markerLabel: $('gauge-marker-label'),
  threshold: $('gauge-threshold'), thresholdLabel: $('gauge-threshold-label'), distance: $('gauge-distance'),
  timing: $('timing'), preview: $('preview'), toggle: $('heatmap-toggle'), note: $('image-note'),
  explain: $('heatmap-explain'), tokenRow: $('token-row'), token: $('token'), retry: $('token-retry'),
  model: $('model'),
};

// One object holds what the image area shows, so the <img> error event and the server reply,
// which can arrive in either order, both just call renderImage().
const state = {
  objectUrl: null, originalBroken: false, heatmap: null,
  lastFile: null, token: '', requestId: 0, controller: null,
};

// Never round a score to a certainty it does not have: 0.9996 is shown as ">99.9%", not "100.0%".
const pct = (p) => (p > 0.999 && p < 1 ? '>99.9%' : p < 0.001 && p > 0 ? '<0.1%' : (p * 100).toFixed(1) + '%');
const num3 = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : null);

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

// ---- upload ------------------------------------------------------------------------------------

function startUpload(file) {
  if (!file) return;
  state.lastFile = file;
  if (state.controller) state.controller.abort(); // a newer file wins; the old reply is not wanted
  const id = ++state.requestId;
  state.controller = new AbortController();

  if (state.objectUrl) URL.revokeObjectURL(state.objectUrl);
  state.objectUrl = URL.createObjectURL(file);
  state.originalBroken = false;
  state.heatmap = null;
  el.toggle.checked = false;
  renderImage(); // starts decoding now (still hidden), so a DICOM's <img> error usually comes early
  el.result.hidden = true; // never leave an old verdict next to a new file
  el.verdict.replaceChildren();
  setError('');
  el.status.textContent = 'Analysing... ' + file.name;
  el.status.classList.add('busy');

  const body = new FormData();
  body.append('image', file, file.name);
  const headers = {};
  if (state.token) headers.Authorization = 'Bearer ' + state.token;

  fetch('/api/v1/predictions?heatmap=true', { method: 'POST', body, headers, signal: state.controller.signal })
    .then(async (res) => {
      if (id !== state.requestId) return;
      const data = res.ok ? await res.json() : await readProblem(res);
      if (id !== state.requestId) return;
      if (res.ok) showPrediction(data); else showProblem(res, data);
    })
    .catch((err) => {
      if (err.name === 'AbortError' || id !== state.requestId) return;
      showFailure(err instanceof SyntaxError
        ? 'The server sent a reply this page cannot read. Please try again.'
        : 'Could not reach the server. Check that pneumo serve is running, then try again.');
    });
}

// Problem details (RFC 9457) when the server sent them; a proxy may send HTML instead, so fall back.
async function readProblem(res) {
  try {
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('json')) return await res.json();
  } catch (e) { /* unreadable body: use the status below */ }
  return {};
}

function showProblem(res, problem) {
  const text = problem.detail || problem.title || ('The request failed (HTTP ' + res.status + ').');
  if (res.status === 401) {
    // Token required or wrong: ask for it, keep it in memory only, and let the user retry.
    el.tokenRow.hidden = false;
    showFailure(text + ' Enter the access token below, then retry.');
    el.token.focus();
    return;
  }
  showFailure(text);
}

function showFailure(message) {
  el.status.textContent = '';
  el.status.classList.remove('busy');
  el.result.hidden = true;
  setError(message);
}

// ---- result ------------------------------------------------------------------------------------

function showPrediction(data) {
  el.status.textContent = '';
  el.status.classList.remove('busy');
  const p = Number(data.probability);
  const t = Number(data.threshold);
  const label = String(data.label || (p >= t ? 'PNEUMONIA' : 'NORMAL'));

  if (data.inScope === false) {
    // Out of scope: no confident verdict. The model's answer stays visible, but only as an unreliable detail.
    el.verdict.replaceChildren(make('strong', 'verdict-label', 'Not reliable for this image'), ' ',
      make('span', 'verdict-detail', 'This image is unlike the pediatric chest X-rays the model was trained on ('
        + String(data.scopeReason || 'out of scope') + '). Its answer would have been ' + label
        + ' (probability of pneumonia ' + pct(p) + '), which should not be trusted.'));
    el.verdict.className = 'verdict is-out-of-scope';
    el.verdict.setAttribute('role', 'alert');
  } else {
    el.verdict.replaceChildren(make('strong', 'verdict-label', label), ' ',
      make('span', 'verdict-detail', 'Probability of pneumonia ' + pct(p) + ' (threshold ' + pct(t) + ')'));
    el.verdict.className = 'verdict ' + (label === 'PNEUMONIA' ? 'is-pneumonia' : 'is-normal');
    el.verdict.removeAttribute('role');
  }

  renderGauge(p, t);
  const ms = data.timing && Number(data.timing.totalMs);
  el.timing.textContent = Number.isFinite(ms) ? 'Server time ' + ms.toFixed(1) + ' ms' : '';
  if (data.modelId) el.timing.textContent += (el.timing.textContent ? ' · ' : '') + 'model ' + data.modelId;

  state.heatmap = typeof data.heatmap === 'string' && data.heatmap.startsWith('data:image/') ? data.heatmap : null;
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
  el.markerLabel.textContent = 'score ' + p.toFixed(2);
  el.thresholdLabel.textContent = 'threshold ' + t.toFixed(2);
  el.marker.className = 'gauge-marker ' + (p >= t ? 'is-pneumonia' : 'is-normal');
  const gap = Math.abs(p - t) * 100;
  const side = p >= t ? 'above' : 'below';
  el.distance.textContent = 'The score is ' + gap.toFixed(1) + ' percentage points ' + side + ' the threshold.';
  el.gauge.setAttribute('aria-label',
    'Probability gauge from 0 to 1: score ' + p.toFixed(3) + ', threshold ' + t.toFixed(3) + ', ' + side + ' threshold');
}

// Chooses what the <img> shows: the original file, or the Grad-CAM overlay when asked for or when
// the browser cannot show the original (DICOM).
function renderImage() {
  const forced = state.originalBroken && state.heatmap;
  el.toggle.disabled = !state.heatmap || state.originalBroken;
  if (forced) el.toggle.checked = true;
  const showHeatmap = el.toggle.checked && state.heatmap;
  const src = showHeatmap ? state.heatmap : (state.originalBroken ? null : state.objectUrl);

  if (src) {
    if (el.preview.getAttribute('src') !== src) el.preview.src = src;
    el.preview.hidden = false;
  } else {
    el.preview.removeAttribute('src');
    el.preview.hidden = true;
  }
  el.preview.alt = showHeatmap ? 'Heatmap overlay on the uploaded chest X-ray' : 'Uploaded chest X-ray';
  el.note.hidden = !state.originalBroken;
  el.note.textContent = state.originalBroken
    ? 'This file (for example DICOM) cannot be previewed in the browser' + (state.heatmap ? '; showing the overlay.' : '.')
    : '';
  el.explain.hidden = !state.heatmap;
}

el.preview.addEventListener('error', () => {
  // Only the blob URL can be an undecodable original; a broken heatmap is the server's fault.
  if (el.preview.getAttribute('src') === state.objectUrl) {
    state.originalBroken = true;
    renderImage();
  }
});
el.toggle.addEventListener('change', renderImage);

// ---- inputs ------------------------------------------------------------------------------------

el.file.addEventListener('change', () => {
  const file = el.file.files && el.file.files[0];
  startUpload(file);
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
  const files = e.dataTransfer && e.dataTransfer.files;
  if (files && files.length) startUpload(files[0]);
});
// A file dropped beside the zone would otherwise make the browser navigate away from the page.
['dragover', 'drop'].forEach((type) => window.addEventListener(type, (e) => e.preventDefault()));

function useToken() {
  state.token = el.token.value.trim();
  if (state.lastFile) startUpload(state.lastFile);
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
    ['Threshold', num3(th.value)],
    ['Threshold method', th.method],
    ['Created', m.created],
  ]);
  addSection('Validation', [
    ['Images', Number.isFinite(v.images) ? String(v.images) : null],
    ['ROC AUC', num3(v.rocAuc)],
    ['Accuracy', num3(v.accuracy)],
    ['Sensitivity', num3(v.sensitivity)],
    ['Specificity', num3(v.specificity)],
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
