// Datasets: upload (CSV, IDX pair), the list, and one dataset's schema, statistics and preview.
import { get, request } from './api.js';
import { h, table, section, setMain, fmt } from './dom.js';
import * as problems from './problems.js';

export async function renderList() {
  const list = await get('/datasets');
  const form = uploadForm();
  setMain(h('h1', { text: 'Datasets' }), form,
    section('Stored datasets', list.length === 0 ? h('p', { text: 'None yet: upload one above.' }) :
      table(['Name', 'Format', 'Rows', 'Shape', 'Size', 'Uploaded'], list.map(d => [
        h('a', { href: `#/datasets/${d.id}`, text: d.name }), d.format, d.rows, d.shape.join(' × '),
        `${fmt(d.sizeBytes / 1024, 1)} KiB`, new Date(d.createdAt).toLocaleString()]))));
}

function uploadForm() {
  const kind = h('select', { id: 'upload-kind', 'data-field': 'kind' },
    h('option', { value: 'csv', text: 'CSV table or zip of image class folders' }), h('option', { value: 'idx', text: 'IDX image pair (MNIST style)' }));
  const csv = h('label.field', {}, 'CSV or zip file', h('input', { type: 'file', id: 'upload-file', name: 'file', accept: '.csv,.gz,text/csv,.zip,application/zip', 'data-field': 'file' }));
  const images = h('label.field', {}, 'Images (idx3-ubyte, gzipped or not)', h('input', { type: 'file', id: 'upload-images', name: 'images', 'data-field': 'images' }));
  const labels = h('label.field', {}, 'Labels (idx1-ubyte)', h('input', { type: 'file', id: 'upload-labels', name: 'labels', 'data-field': 'labels' }));
  const idx = h('div.idx-parts', { hidden: true }, images, labels);
  kind.addEventListener('change', () => { csv.hidden = kind.value !== 'csv'; idx.hidden = kind.value === 'csv'; });
  const name = h('input', { id: 'upload-name', name: 'name', maxlength: '200', 'data-field': 'name', placeholder: 'defaults to the file name' });
  const status = h('p', { role: 'status' });
  const form = h('form.card', { id: 'upload-form' },
    h('h2', { text: 'Upload' }),
    h('label.field', {}, 'Format', kind), csv, idx, h('label.field', {}, 'Name', name),
    h('button', { type: 'submit', id: 'upload-submit', text: 'Upload' }), status, h('div.problem'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    problems.clear(form);
    const body = new FormData();
    if (kind.value === 'csv') {
      if (csv.querySelector('input').files[0]) body.append('file', csv.querySelector('input').files[0]);
    } else {
      for (const label of [images, labels]) {
        const input = label.querySelector('input');
        if (input.files[0]) body.append(input.name, input.files[0]);
      }
    }
    if (name.value.trim()) body.append('name', name.value.trim());
    status.textContent = 'Uploading…';
    try {
      const d = await request('POST', '/datasets', body);
      status.textContent = `Stored ${d.name}`;
      location.hash = `#/datasets/${d.id}`;
    } catch (err) {
      status.textContent = '';
      problems.show(form, err);
    }
  });
  return form;
}

export async function renderOne(id) {
  const d = await get(`/datasets/${encodeURIComponent(id)}`);
  const images = d.format === 'IDX' || d.format === 'IMAGES';
  const preview = await get(`/datasets/${encodeURIComponent(id)}/preview?limit=${images ? 48 : 20}`);
  setMain(
    h('h1', { text: d.name }),
    h('p', {}, `${d.format}, ${d.rows} rows, shape ${d.shape.join(' × ')}, sha256 `, h('code', { text: d.sha256.slice(0, 16) + '…' }), ' ',
      h('a.button', { href: `#/jobs/new?dataset=${d.id}`, text: 'Train on it' })),
    d.classes ? h('p', {}, 'Classes: ', d.classes.map(c => d.classCounts ? `${c} (${d.classCounts[c]})` : c).join(', ')) : null,
    section('Schema and statistics', table(['Column', 'Type', 'Count', 'Missing', 'Min', 'Max', 'Mean', 'Std', 'Distinct', 'Values'],
      d.columns.map(c => [c.name, c.type, c.count, c.missing, c.min, c.max, c.mean, c.std, c.distinct,
        c.values.slice(0, 10).join(', ') + (c.values.length > 10 ? ', …' : '')]))),
    section('Preview', d.format === 'IMAGES' ? pictures(preview) : d.format === 'IDX' ? thumbnails(preview) : table(preview.columns, preview.rows.map(r => r.map(v => v ?? '—')))));
}

/** Folder images as a grid of the server's PNG thumbnails (third preview column), each with its class. */
function pictures(preview) {
  return h('div.thumbs', { id: 'thumbnails' }, preview.rows.map(([label, , thumbnail]) =>
    h('figure.thumb', {}, h('img', { src: thumbnail, alt: `image of class ${label}` }), h('figcaption', { text: String(label) }))));
}

/** Image previews as a grid of thumbnails, each with its label. */
function thumbnails(preview) {
  return h('div.thumbs', { id: 'thumbnails' }, preview.rows.map(([label, pixels]) => {
    const rows = pixels.length, cols = pixels[0].length;
    const canvas = h('canvas', { width: cols, height: rows, role: 'img', 'aria-label': `image labelled ${label}` });
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(cols, rows);
    pixels.flat().forEach((v, i) => { img.data.set([255 - v, 255 - v, 255 - v, 255], i * 4); });
    ctx.putImageData(img, 0, 0);
    return h('figure.thumb', {}, canvas, h('figcaption', { text: String(label) }));
  }));
}
