// The job list, kept live by GET /jobs/events.
import { get, stream } from './api.js';
import { h, setMain, fmt } from './dom.js';

export async function render() {
  const body = h('tbody');
  const rows = new Map();
  function put(j) {
    const row = h('tr', { 'data-job': j.id },
      h('td', {}, h('a', { href: `#/jobs/${j.id}`, text: j.id.slice(0, 8) })),
      h('td', {}, h('a', { href: `#/models/${encodeURIComponent(j.modelId)}`, text: j.modelId })),
      h('td', {}, h('span', { class: `badge ${j.status}`, text: j.status })),
      h('td', { text: j.epochs ? `${j.epoch ?? 0} / ${j.epochs}` : '' }),
      h('td', { text: fmt(j.metrics?.loss) }), h('td', { text: fmt(j.metrics?.val_loss) }),
      h('td', { text: new Date(j.createdAt).toLocaleString() }));
    if (rows.has(j.id)) rows.get(j.id).replaceWith(row); else body.prepend(row);
    rows.set(j.id, row);
  }
  // subscribe first, then list: a change in between is not lost
  const events = stream('/jobs/events', ev => { if (ev.event === 'status') put(ev.data); });
  const jobs = await get('/jobs');
  jobs.slice().reverse().forEach(put);
  setMain(h('h1', { text: 'Training jobs' }),
    h('p', {}, h('a.button', { href: '#/jobs/new', text: 'New job' }), ' ', h('a.button', { href: '#/datasets', text: 'Upload a dataset' })),
    h('div.scroll', {}, h('table', { id: 'job-list' },
      h('thead', {}, h('tr', {}, ['Job', 'Model', 'Status', 'Epoch', 'Loss', 'Val loss', 'Created'].map(t => h('th', { scope: 'col', text: t })))),
      body)));
  return () => events.close();
}
