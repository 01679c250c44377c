// New job: a form for the common cases over a spec object, with the examples' job files as templates
// and a JSON editor that shows (and may override) the exact spec that will be posted.
import { get, post } from './api.js';
import { h, setMain } from './dom.js';
import * as problems from './problems.js';

const TEMPLATES = [
  ['softmax-job', 'Softmax regression (notes: 8-row softmax)'],
  ['xor-job', 'XOR with a hidden layer'],
  ['quiz-regression-job', 'Quiz-score regression (standardized)'],
  ['lr-too-high-job', 'Learning rate too high (diverges)'],
  ['fashion-mlp-job', 'Fashion-MNIST MLP: batch norm, dropout, L2, callbacks'],
];
const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'sigmoid', 'tanh', 'softmax'];
const LAYERS = ['dense', 'dropout', 'batch_norm', 'flatten', 'conv2d', 'max_pool2d'];
const LOSSES = ['sparse_categorical_crossentropy', 'categorical_crossentropy', 'binary_crossentropy', 'mse', 'mae'];
const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'nesterov', 'rmsprop', 'adagrad', 'adadelta'];
const SCALINGS = ['', 'none', 'minmax', 'minmax_symmetric', 'standardize', 'pixel'];

function blank(datasetId) {
  return {
    modelId: 'my-model', datasetId, target: 'label', validation: { split: 0.2 }, preprocessing: { scaling: 'minmax' },
    model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }],
      loss: 'sparse_categorical_crossentropy' },
    training: { optimizer: 'adam', learningRate: 0.01, epochs: 50, batchSize: 32, seed: 1 },
  };
}

function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  keys.slice(0, -1).forEach(k => { if (typeof o[k] !== 'object' || o[k] === null) o[k] = {}; o = o[k]; });
  const last = keys[keys.length - 1];
  if (value === undefined || value === '') delete o[last]; else o[last] = value;
}

function options(values, selected) {
  return values.map(v => h('option', { value: v, text: v === '' ? '(default)' : v, selected: v === selected }));
}

export async function render() {
  const datasets = await get('/datasets');
  const wanted = new URLSearchParams(location.hash.split('?')[1] || '').get('dataset');
  let spec = blank(wanted || datasets[0]?.id || '');
  const bound = [];
  const json = h('textarea', { id: 'spec-json', rows: 18, spellcheck: false, 'aria-label': 'Job spec as JSON' });
  const jsonNote = h('p.small', { role: 'status' });
  const layersBox = h('div.layers');
  const targetSelect = h('select', { id: 'job-target', 'data-field': 'target' });

  function field(label, input, path, parse = v => v) {
    input.dataset.field = path;
    // selects report on change (WebDriver's option clicks fire no input event), text fields on every keystroke
    input.addEventListener(input.tagName === 'SELECT' ? 'change' : 'input', () => { setPath(spec, path, parse(input.value)); sync(false); });
    bound.push(() => { const v = getPath(spec, path); input.value = v ?? ''; });
    return h('label.field', {}, label, input);
  }
  const num = v => (v === '' ? undefined : Number(v));

  function callback(name, label, defaults, inner) {
    const box = h('input', { type: 'checkbox', id: `cb-${name}` });
    box.addEventListener('change', () => {
      const cbs = spec.training.callbacks ??= {};
      if (box.checked) cbs[name] = { ...defaults, ...(cbs[name] || {}) }; else delete cbs[name];
      if (Object.keys(cbs).length === 0) delete spec.training.callbacks;
      sync(true);
    });
    const set = h('fieldset.callback', {}, h('legend', {}, h('label', {}, box, ` ${label}`)), inner);
    bound.push(() => { box.checked = !!spec.training?.callbacks?.[name]; set.disabled = !box.checked; });
    return set;
  }

  function renderLayers() {
    const layers = spec.model?.layers || [];
    layersBox.replaceChildren(...layers.map((layer, i) => {
      const p = `model.layers.${i}`;
      const type = h('select', { 'data-field': `model.layers[${i}].type`, 'aria-label': `layer ${i + 1} type` }, options(LAYERS, layer.type));
      type.addEventListener('change', () => { layer.type = type.value; sync(true); });
      const units = h('input', { type: 'number', min: 1, value: layer.units ?? '', 'data-field': `model.layers[${i}].units`, 'aria-label': `layer ${i + 1} units` });
      units.addEventListener('input', () => { setPath(spec, `${p}.units`, num(units.value)); sync(false); });
      const act = h('select', { 'data-field': `model.layers[${i}].activation`, 'aria-label': `layer ${i + 1} activation` }, options(['', ...ACTIVATIONS], layer.activation ?? ''));
      act.addEventListener('change', () => { setPath(spec, `${p}.activation`, act.value || undefined); sync(false); });
      const rate = h('input', { type: 'number', step: 'any', min: 0, max: 1, value: layer.rate ?? '', 'data-field': `model.layers[${i}].rate`, 'aria-label': `layer ${i + 1} dropout rate` });
      rate.addEventListener('input', () => { setPath(spec, `${p}.rate`, num(rate.value)); sync(false); });
      const remove = h('button', { type: 'button', text: 'Remove', 'aria-label': `remove layer ${i + 1}`,
        onclick: () => { layers.splice(i, 1); sync(true); } });
      return h('div.layer.field', { role: 'group', 'aria-label': `layer ${i + 1}` }, h('span.layer-no', { text: `${i + 1}` }), type,
        layer.type === 'dense' ? [h('label', {}, 'units ', units), h('label', {}, 'activation ', act)] : null,
        layer.type === 'dropout' ? h('label', {}, 'rate ', rate) : null, remove);
    }), h('button', { type: 'button', id: 'add-layer', text: 'Add dense layer',
      onclick: () => { (spec.model ??= {}).layers = [...layers, { type: 'dense', units: 8, activation: 'relu' }]; sync(true); } }));
  }

  async function loadTargets() {
    const id = spec.datasetId;
    targetSelect.replaceChildren();
    const d = datasets.find(x => x.id === id);
    if (!d) return;
    const names = d.format === 'IDX' ? ['label'] : d.columns.map(c => c.name);
    targetSelect.append(...options(names, spec.target));
    if (!names.includes(spec.target)) { spec.target = names[names.length - 1]; sync(false); }
  }

  /** Spec → JSON editor; with fill, spec → form too. */
  function sync(fill) {
    json.value = JSON.stringify(spec, null, 2);
    jsonNote.textContent = '';
    if (fill) fillForm();
  }
  function fillForm() {
    bound.forEach(f => f());
    renderLayers();
    loadTargets();
  }

  json.addEventListener('input', () => {
    try {
      spec = JSON.parse(json.value);
      jsonNote.textContent = '';
      fillForm();
    } catch (e) {
      jsonNote.textContent = `Not valid JSON yet: ${e.message}`;
    }
  });

  const template = h('select', { id: 'job-template' }, h('option', { value: '', text: 'Blank classifier' }),
    TEMPLATES.map(([v, t]) => h('option', { value: v, text: t })));
  template.addEventListener('change', async () => {
    const datasetId = spec.datasetId;
    if (!template.value) spec = blank(datasetId);
    else {
      const res = await fetch(`/ui/examples/${template.value}.json`);
      spec = await res.json();
      spec.datasetId = datasetId;
      if (spec.test && String(spec.test.datasetId).includes('DATASET_ID')) delete spec.test;
    }
    sync(true);
  });

  /** Optional test set: evaluated once at the end (confusion matrix and per-class metrics on the model page). */
  function testField() {
    const select = h('select', { id: 'job-test', 'data-field': 'test.datasetId' }, h('option', { value: '', text: '(none)' }),
      datasets.map(d => h('option', { value: d.id, text: d.name })));
    select.addEventListener('change', () => { if (select.value) spec.test = { datasetId: select.value }; else delete spec.test; sync(false); });
    bound.push(() => { select.value = spec.test?.datasetId ?? ''; });
    return h('label.field', {}, 'Test dataset', select);
  }

  const dataset = h('select', { id: 'job-dataset' }, datasets.map(d => h('option', { value: d.id, text: `${d.name} (${d.format}, ${d.rows} rows)` })));
  const form = h('form.card', { id: 'job-form', novalidate: true },
    h('label.field', {}, 'Template', template),
    h('div.grid', {},
      field('Model id', h('input', { id: 'job-model-id', required: true }), 'modelId'),
      field('Dataset', dataset, 'datasetId'),
      h('label.field', {}, 'Target column', targetSelect),
      testField(),
      field('Validation split', h('input', { id: 'job-validation', type: 'number', step: 'any', min: 0, max: 0.9 }), 'validation.split', num),
      field('Scaling', h('select', { id: 'job-scaling' }, options(SCALINGS)), 'preprocessing.scaling')),
    h('fieldset', {}, h('legend', { text: 'Layers' }), layersBox),
    h('div.grid', {},
      field('Loss', h('select', { id: 'job-loss' }, options(LOSSES)), 'model.loss'),
      field('Optimizer', h('select', { id: 'job-optimizer' }, options(OPTIMIZERS)), 'training.optimizer'),
      field('Learning rate', h('input', { id: 'job-lr', type: 'number', step: 'any' }), 'training.learningRate', num),
      field('Epochs', h('input', { id: 'job-epochs', type: 'number', min: 1 }), 'training.epochs', num),
      field('Batch size', h('input', { id: 'job-batch', type: 'number', min: 1 }), 'training.batchSize', num),
      field('Seed', h('input', { id: 'job-seed', type: 'number' }), 'training.seed', num),
      field('L2', h('input', { id: 'job-l2', type: 'number', step: 'any', min: 0 }), 'training.regularization.l2', num)),
    h('div.grid', {},
      callback('earlyStopping', 'Early stopping', { monitor: 'val_loss', patience: 3, restoreBestWeights: true },
        field('patience', h('input', { type: 'number', min: 0 }), 'training.callbacks.earlyStopping.patience', num)),
      callback('reduceLrOnPlateau', 'Reduce LR on plateau', { monitor: 'val_loss', factor: 0.1, patience: 5 },
        [field('factor', h('input', { type: 'number', step: 'any' }), 'training.callbacks.reduceLrOnPlateau.factor', num),
         field('patience', h('input', { type: 'number', min: 0 }), 'training.callbacks.reduceLrOnPlateau.patience', num)]),
      callback('modelCheckpoint', 'Keep the best epoch (checkpoint)', { monitor: 'val_loss', saveBestOnly: true }, null)),
    h('details', { open: true }, h('summary', { text: 'JSON editor (this is what is posted)' }), json, jsonNote),
    h('div.problem'),
    h('button', { type: 'submit', id: 'job-submit', text: 'Start training' }));
  dataset.addEventListener('change', () => loadTargets());

  form.addEventListener('submit', async e => {
    e.preventDefault();
    problems.clear(form);
    let body;
    try { body = JSON.parse(json.value); } catch (err) {
      problems.show(form, { problem: { detail: `The JSON editor does not hold valid JSON: ${err.message}` } });
      return;
    }
    try {
      const job = await post('/jobs', body);
      location.hash = `#/jobs/${job.id}`;
    } catch (err) {
      problems.show(form, err);
    }
  });

  setMain(h('h1', { text: 'New training job' }),
    datasets.length === 0 ? h('p', {}, 'Upload a dataset first: ', h('a', { href: '#/datasets', text: 'Datasets' })) : form);
  sync(true);
}
