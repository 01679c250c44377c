// The trainserve web UI: a hash router over the pages, and the API key field.
import { apiKey, setApiKey } from './api.js';
import { h, setMain } from './dom.js';
import * as datasets from './datasets.js';
import * as newJob from './newjob.js';
import * as jobs from './jobs.js';
import * as job from './job.js';
import * as models from './models.js';
import * as predict from './predict.js';

const routes = [
  [/^#?\/?$/, () => jobs.render()],
  [/^#\/datasets$/, () => datasets.renderList()],
  [/^#\/datasets\/([^/]+)$/, m => datasets.renderOne(m[1])],
  [/^#\/jobs$/, () => jobs.render()],
  [/^#\/jobs\/new$/, () => newJob.render()],
  [/^#\/jobs\/([^/]+)$/, m => job.render(m[1])],
  [/^#\/models$/, () => models.renderList()],
  [/^#\/models\/([^/]+)\/predict$/, m => predict.render(decodeURIComponent(m[1]))],
  [/^#\/models\/([^/]+)$/, m => models.renderOne(decodeURIComponent(m[1]))],
];

let cleanup = null;

async function route() {
  if (cleanup) { try { cleanup(); } catch { /* page gone */ } cleanup = null; }
  const hash = location.hash.split('?')[0];
  for (const [re, page] of routes) {
    const m = re.exec(hash);
    if (!m) continue;
    try {
      cleanup = (await page(m)) || null;
    } catch (e) {
      setMain(h('h1', { text: 'Error' }), h('p.error', { role: 'alert', text: e.message }));
    }
    document.querySelectorAll('nav a').forEach(a => a.toggleAttribute('aria-current',
      a.getAttribute('href') !== '#/' && hash.startsWith(a.getAttribute('href'))));
    return;
  }
  setMain(h('h1', { text: 'Not found' }), h('p', {}, 'No page here. ', h('a', { href: '#/', text: 'Jobs' })));
}

function showKeyState() {
  document.getElementById('key-state').textContent = apiKey() ? 'key set' : 'no key';
}

document.getElementById('key-form').addEventListener('submit', e => {
  e.preventDefault();
  const input = document.getElementById('api-key');
  setApiKey(input.value.trim());
  input.value = '';
  showKeyState();
  route();
});
document.addEventListener('trainserve:unauthorized', () => {
  document.getElementById('key-state').textContent = 'the API key was refused: enter a valid one';
  document.getElementById('api-key').focus();
});
window.addEventListener('hashchange', route);
showKeyState();
route();
