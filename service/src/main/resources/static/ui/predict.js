// Predict playground: a form generated from the model's input schema; for image models a drawing
// canvas scaled down to the model's height x width. Class probabilities are shown as bars.
import { get, post } from './api.js';
import { h, setMain, fmt } from './dom.js';
import * as problems from './problems.js';

export async function render(id) {
  const model = await get(`/models/${encodeURIComponent(id)}`);
  const wanted = Number(new URLSearchParams(location.hash.split('?')[1] || '').get('v')) || model.latestVersion;
  const v = await get(`/models/${encodeURIComponent(id)}/versions/${wanted}`);
  const result = h('div', { id: 'prediction', 'aria-live': 'polite' });
  const image = v.inputSchema.imageShape;
  const input = image ? drawing(image) : tabular(v.inputSchema.features);
  const form = h('form.card', { id: 'predict-form' }, input.el, h('div.problem'),
    h('button', { type: 'submit', id: 'predict-submit', text: 'Predict' }));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    problems.clear(form);
    try {
      const res = await post(`/models/${encodeURIComponent(id)}/predict?version=${v.version}`, { instances: [input.value()] });
      show(result, res.predictions[0], v.classNames);
    } catch (err) {
      problems.show(form, err);
    }
  });
  setMain(h('h1', {}, `Predict with ${id} `, h('span.badge', { text: `v${v.version}` })),
    h('p', {}, h('a', { href: `#/models/${encodeURIComponent(id)}?v=${v.version}`, text: 'Back to the model' })),
    form, result);
  input.mounted?.();
}

function tabular(features) {
  const inputs = features.map((f, i) => {
    const el = f.kind === 'CATEGORICAL'
      ? h('select', { 'data-field': `instances[0].${f.name}`, name: f.name }, f.categories.map(c => h('option', { value: c, text: c })))
      : h('input', { type: 'number', step: 'any', required: true, value: '0', 'data-field': `instances[0].${f.name}`, name: f.name });
    return { f, el, label: h('label.field', {}, f.name, el) };
  });
  return {
    el: h('fieldset', {}, h('legend', { text: 'Input' }), h('div.grid', {}, inputs.map(x => x.label))),
    value: () => Object.fromEntries(inputs.map(({ f, el }) => [f.name, f.kind === 'CATEGORICAL' ? el.value : Number(el.value)])),
  };
}

/**
 * A 280x280 canvas to draw on with mouse, pen or touch (white ink on black, like MNIST), and its
 * downscaled height x width pixel values 0..255. Keyboard: the arrow keys move a pen, space draws.
 */
function drawing([, height, width]) {
  const scale = 10;
  const canvas = h('canvas', { id: 'draw-canvas', width: width * scale, height: height * scale, tabindex: 0, role: 'img',
    'aria-label': `drawing area, ${width} by ${height}: draw with a pointer, or move with the arrow keys and press space to ink` });
  const ctx = canvas.getContext('2d');
  const preview = h('canvas', { id: 'draw-preview', width, height, 'aria-hidden': 'true' });
  function clear() { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, canvas.width, canvas.height); }
  function dot(x, y) { ctx.fillStyle = '#fff'; ctx.beginPath(); ctx.arc(x, y, scale * 1.2, 0, Math.PI * 2); ctx.fill(); }
  let last = null;
  function line(x, y) {
    ctx.strokeStyle = '#fff'; ctx.lineWidth = scale * 2.4; ctx.lineCap = 'round';
    ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(x, y); ctx.stroke();
    last = { x, y };
  }
  const at = e => { const r = canvas.getBoundingClientRect(); return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height }; };
  canvas.addEventListener('pointerdown', e => { canvas.setPointerCapture(e.pointerId); last = at(e); dot(last.x, last.y); });
  canvas.addEventListener('pointermove', e => { if (last) { const p = at(e); line(p.x, p.y); } });
  ['pointerup', 'pointercancel'].forEach(t => canvas.addEventListener(t, () => { last = null; pixels(); }));
  const pen = { x: canvas.width / 2, y: canvas.height / 2 };
  canvas.addEventListener('keydown', e => {
    const step = scale, moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) { e.preventDefault(); pen.x += moves[e.key][0]; pen.y += moves[e.key][1]; if (e.shiftKey) dot(pen.x, pen.y); }
    if (e.key === ' ') { e.preventDefault(); dot(pen.x, pen.y); pixels(); }
  });
  function pixels() {
    const small = preview.getContext('2d');
    small.imageSmoothingEnabled = true;
    small.imageSmoothingQuality = 'high';
    small.drawImage(canvas, 0, 0, width, height);
    const data = small.getImageData(0, 0, width, height).data;
    const rows = [];
    for (let r = 0; r < height; r++) {
      const row = [];
      for (let c = 0; c < width; c++) row.push(data[(r * width + c) * 4]);
      rows.push(row);
    }
    return rows;
  }
  const el = h('fieldset', {}, h('legend', { text: `Draw (${width}×${height}, white on black)` }),
    h('div.draw', {}, canvas, h('div', {}, h('p.small', { text: 'what the model sees:' }), preview,
      h('p', {}, h('button', { type: 'button', id: 'draw-clear', text: 'Clear', onclick: () => { clear(); pixels(); } })))));
  return { el, value: pixels, mounted: () => { clear(); pixels(); } };
}

function show(box, p, classNames) {
  if (p.probabilities) {
    const entries = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]);
    box.replaceChildren(h('h2', {}, 'Prediction: ', h('strong', { id: 'predicted-label', text: p.label })),
      h('ul.bars', { id: 'probabilities' }, entries.map(([name, prob]) => h('li', { 'data-class': name },
        h('span.bar-label', { text: name }),
        h('span.bar', { role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 1, 'aria-valuenow': prob, 'aria-label': `${name} probability` },
          h('span.fill', { style: `width: ${(prob * 100).toFixed(1)}%` })),
        h('span.bar-value', { text: `${(prob * 100).toFixed(1)} %` })))));
  } else if (p.anomalyScore !== undefined) { // an anomaly model: verdict and reconstruction error
    box.replaceChildren(h('h2', {}, 'Prediction: ', h('strong', { id: 'predicted-anomaly', text: p.anomaly ? 'anomaly' : 'normal' }),
      ` (anomaly score ${fmt(p.anomalyScore)})`));
  } else {
    box.replaceChildren(h('h2', {}, 'Prediction: ', h('strong', { id: 'predicted-value', text: fmt(p.value) })));
  }
}
