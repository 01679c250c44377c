// Models: the list, and one model's versions with a Keras-style summary, metrics, test metrics
// (confusion-matrix heatmap, per-class precision/recall/F1), provenance, bundle download and a
// comparison of two versions' curves.
import { get, post, download } from './api.js';
import * as problems from './problems.js';
import { h, setMain, table, section, fmt } from './dom.js';
import { lineChart } from './charts.js';

export async function renderList() {
  const models = await get('/models');
  setMain(h('h1', { text: 'Models' }), models.length === 0 ? h('p', { text: 'No model yet: train one.' }) :
    table(['Model', 'Latest version', 'Versions', 'Updated', ''], models.map(m => [
      h('a', { href: `#/models/${encodeURIComponent(m.id)}`, text: m.id }), m.latestVersion, m.versionCount,
      new Date(m.updatedAt).toLocaleString(), h('a', { href: `#/models/${encodeURIComponent(m.id)}/predict`, text: 'Predict' })])));
}

export async function renderOne(id) {
  const model = await get(`/models/${encodeURIComponent(id)}`);
  const wanted = Number(new URLSearchParams(location.hash.split('?')[1] || '').get('v')) || model.latestVersion;
  const path = v => `/models/${encodeURIComponent(id)}/versions/${v}`;
  const [v, datasets] = await Promise.all([get(path(wanted)), get('/datasets')]);
  const cleanups = [];
  const metricNames = [...new Set(model.versions.flatMap(x => Object.keys(x.metrics)))].sort();
  const versions = table(['Version', 'Created', 'Job', ...metricNames, 'Test accuracy', 'Bundle'], model.versions.map(x => [
    h('a', { href: `#/models/${encodeURIComponent(id)}?v=${x.version}`, 'aria-current': x.version === v.version ? 'true' : null, text: `v${x.version}` }),
    new Date(x.createdAt).toLocaleString(), x.jobId ? h('a', { href: `#/jobs/${x.jobId}`, text: x.jobId.slice(0, 8) }) : 'restored',
    ...metricNames.map(n => x.metrics[n]), x.testMetrics?.accuracy, `${fmt(x.bundleSizeBytes / 1024, 1)} KiB`]));

  const s = v.summary;
  const summary = h('div.scroll', {}, h('table', { id: 'model-summary' },
    h('caption', { text: `Model: "${id}" v${v.version}` }),
    h('thead', {}, h('tr', {}, ['Layer (type)', 'Output Shape', 'Param #'].map(t => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, s.layers.map(l => h('tr', {}, h('td', { text: `${l.name} (${l.type})` }), h('td', { text: l.outputShape }), h('td.num', { text: l.params.toLocaleString() })))),
    h('tfoot', {}, [['Total params', s.totalParams], ['Trainable params', s.trainableParams], ['Non-trainable params', s.nonTrainableParams]]
      .map(([k, n]) => h('tr', {}, h('th', { scope: 'row', colspan: 2, text: `${k}:` }), h('td.num', { text: n.toLocaleString() }))))));

  const bundle = h('button', { id: 'bundle-download', type: 'button', text: `Download bundle (${fmt(v.bundleSizeBytes / 1024, 1)} KiB)` });
  bundle.addEventListener('click', () => download(`${path(v.version)}/bundle`, `${id}-v${v.version}.zip`).catch(e => alert(e.message)));

  const compare = compareCurves(id, model, v, path, cleanups);
  setMain(
    h('h1', {}, `Model ${id} `, h('span.badge', { text: `v${v.version}` })),
    h('p', {}, `${v.task}, target ${v.target}, ${v.classNames.length ? `classes ${v.classNames.join(', ')}` : 'regression'}. `,
      h('a.button', { id: 'predict-link', href: `#/models/${encodeURIComponent(id)}/predict?v=${v.version}`, text: 'Try it: predict' }), ' ', bundle),
    section('Versions', versions),
    section('Summary', summary),
    section('Metrics', table(['Metric', 'Value'], Object.entries(v.metrics).map(([k, x]) => [k, x]))),
    v.testMetrics ? testSection('Test metrics', { classNames: v.classNames, ...v.testMetrics }) : null,
    evaluateForm(id, v.version, datasets),
    section('Compare versions', compare),
    section('Provenance', h('dl.provenance', {}, Object.entries({ ...v.provenance, preprocessing: v.preprocessing.scaling, jobId: v.jobId,
      baseModel: v.baseModel ? `${v.baseModel.modelId} v${v.baseModel.version} (${v.baseModel.freezeLayers} frozen)` : undefined,
      bundleSha256: v.bundleSha256 }).filter(([, x]) => x !== undefined && x !== null)
      .flatMap(([k, x]) => [h('dt', { text: k }), h('dd', { text: String(x) })]))));
  compare.dispatchEvent(new Event('change'));
  return () => cleanups.forEach(f => f());
}

/** Evaluates this version on a stored dataset and shows the same report as the test metrics. */
function evaluateForm(id, version, datasets) {
  const select = h('select', { id: 'evaluate-dataset', 'data-field': 'datasetId' }, datasets.map(d => h('option', { value: d.id, text: d.name })));
  const out = h('div', { id: 'evaluation' });
  const form = h('form.card', {}, h('label.field', {}, 'Dataset', select), h('div.problem'),
    h('button', { type: 'submit', text: 'Evaluate' }), out);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    problems.clear(form);
    out.replaceChildren(h('p', { role: 'status', text: 'Evaluating…' }));
    try {
      const r = await post(`/models/${encodeURIComponent(id)}/versions/${version}/evaluate`, { datasetId: select.value });
      out.replaceChildren(testSection(`On ${select.selectedOptions[0].text}`, r));
    } catch (err) {
      out.replaceChildren();
      problems.show(form, err);
    }
  });
  return section('Evaluate on a dataset', form);
}

function testSection(title, t) {
  const parts = [h('p', { text: `${t.rows} test rows` }), table(['Metric', 'Value'], Object.entries(t.metrics))];
  if (t.confusionMatrix && t.classNames) parts.push(heatmap(t.classNames, t.confusionMatrix));
  if (t.perClass?.length) parts.push(table(['Class', 'Precision', 'Recall', 'F1', 'Support'], t.perClass.map(c => [c.label, c.precision, c.recall, c.f1, c.support]),
    'Per class'));
  return section(title, ...parts);
}

/** The confusion matrix as a table whose cells are shaded by their share of the row (actual class). */
function heatmap(names, matrix) {
  return h('div.scroll', {}, h('table.heatmap', {},
    h('caption', { text: 'Confusion matrix: rows actual, columns predicted' }),
    h('thead', {}, h('tr', {}, h('th', { text: 'actual \\ predicted' }), names.map(n => h('th', { scope: 'col', text: n })))),
    h('tbody', {}, matrix.map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      return h('tr', {}, h('th', { scope: 'row', text: names[i] }), row.map((n, j) => {
        const share = n / total;
        return h('td.num', { text: String(n), title: `${names[i]} predicted as ${names[j]}: ${n}`,
          style: `background: rgba(${i === j ? '31,119,180' : '214,39,40'}, ${share.toFixed(3)}); color: ${share > 0.6 ? '#fff' : 'inherit'}` });
      }));
    }))));
}

/** Two version pickers and one chart of both versions' loss curves (training solid, validation dashed). */
function compareCurves(id, model, current, path, cleanups) {
  const choices = model.versions.map(x => x.version);
  const pick = (label, selected, elId) => h('label.field', {}, label,
    h('select', { id: elId }, choices.map(n => h('option', { value: n, text: `v${n}`, selected: n === selected }))));
  const other = choices.filter(n => n !== current.version).pop() ?? current.version;
  const a = pick('Version A', current.version, 'compare-a');
  const b = pick('Version B', other, 'compare-b');
  const chartBox = h('div');
  const box = h('div', {}, h('div.grid', {}, a, b), chartBox);
  const cache = new Map([[current.version, current]]);
  let chart = null;
  box.addEventListener('change', async () => {
    const va = Number(a.querySelector('select').value), vb = Number(b.querySelector('select').value);
    for (const n of [va, vb]) if (!cache.has(n)) cache.set(n, await get(path(n)));
    const A = cache.get(va), B = cache.get(vb);
    chart?.destroy();
    chart = lineChart('Compare', [`v${va} loss`, `v${va} val_loss`, `v${vb} loss`, `v${vb} val_loss`]);
    chartBox.replaceChildren(chart.el);
    chart.mount();
    const epochs = [...new Set([...A.history, ...B.history].map(e => e.epoch))].sort((x, y) => x - y);
    const at = (V, e) => V.history.find(r => r.epoch === e)?.metrics ?? {};
    epochs.forEach(e => chart.add(e, [at(A, e).loss, at(A, e).val_loss, at(B, e).loss, at(B, e).val_loss]));
  });
  cleanups.push(() => chart?.destroy());
  return box;
}
