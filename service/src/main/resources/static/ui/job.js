// One job, live: loss and accuracy curves (training vs validation), learning rate, an epoch/ETA
// progress bar, cancel, the history table, and the error with its hint when it failed.
import { get, post, stream } from './api.js';
import { h, setMain, fmt, seconds, section } from './dom.js';
import { lineChart } from './charts.js';

export async function render(id) {
  const job = await get(`/jobs/${encodeURIComponent(id)}`);
  const status = h('span', { id: 'job-status', class: `badge ${job.status}`, text: job.status });
  const bar = h('progress', { id: 'job-progress', max: 1, value: job.progress ?? 0, 'aria-label': 'training progress' });
  const barText = h('span', { id: 'job-progress-text' });
  const cancel = h('button', { id: 'job-cancel', text: 'Cancel', type: 'button' });
  const outcome = h('div', { id: 'job-outcome' });
  const loss = lineChart('Loss', ['loss', 'val_loss']);
  const accuracy = lineChart('Accuracy', ['accuracy', 'val_accuracy']);
  const lr = lineChart('Learning rate', ['learning_rate'], { height: 140 });
  const historyBody = h('tbody');
  const historyHead = h('tr');
  let metricNames = [];

  let state = job;
  /** Merges news (a progress event, an epoch event or the job) into what is shown. */
  function progress(news) {
    const p = state = { ...state, ...news, epoch: Math.max(state.epoch ?? 0, news.epoch ?? 0) };
    if (p.epochs && !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(p.status)) p.progress = Math.max(p.progress ?? 0, p.epoch / p.epochs);
    bar.value = p.progress ?? 0;
    const epoch = p.epochs ? `epoch ${p.epoch ?? 0} of ${p.epochs}` : '';
    const eta = p.etaSeconds != null && !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(p.status) ? `, about ${seconds(p.etaSeconds)} left` : '';
    barText.textContent = `${Math.round((p.progress ?? 0) * 100)} % ${epoch}${eta}`;
    status.textContent = p.status;
    status.className = `badge ${p.status}`;
    cancel.hidden = !['QUEUED', 'RUNNING'].includes(p.status);
  }

  function epoch(e) {
    const m = e.metrics;
    loss.add(e.epoch, [m.loss, m.val_loss]);
    if ('accuracy' in m || 'val_accuracy' in m) accuracy.add(e.epoch, [m.accuracy, m.val_accuracy]);
    lr.add(e.epoch, [e.learningRate]);
    const names = Object.keys(m).sort();
    if (names.join() !== metricNames.join()) {
      metricNames = names;
      historyHead.replaceChildren(...['Epoch', ...names, 'Learning rate', 'Time (ms)', 'Samples/s'].map(t => h('th', { scope: 'col', text: t })));
    }
    historyBody.append(h('tr', {}, [e.epoch, ...metricNames.map(n => m[n]), e.learningRate, e.durationMillis, e.samplesPerSecond]
      .map(v => h('td', { text: fmt(v) }))));
  }

  function finished(j) {
    progress(j);
    outcome.replaceChildren();
    if (j.status === 'SUCCEEDED') {
      outcome.append(h('p', {}, `Model `, h('a', { id: 'job-model-link', href: `#/models/${encodeURIComponent(j.modelId)}?v=${j.modelVersion}`,
        text: `${j.modelId} version ${j.modelVersion}` }), j.stoppedEarly ? ` (stopped early; best epoch ${j.bestEpoch})` : ''));
    } else if (j.status === 'FAILED') {
      const [message, hint] = splitHint(j.error?.message || '');
      outcome.append(h('div.error', { role: 'alert', id: 'job-error' }, h('strong', { text: j.error?.code || 'FAILED' }), h('p', { text: message }),
        hint ? h('p.hint', {}, h('strong', { text: 'Hint: ' }), hint) : null));
    } else if (j.status === 'CANCELLED') {
      outcome.append(h('p', { text: 'Cancelled; its checkpoints are kept.' }));
    }
    if (j.diagnoses?.length) outcome.append(diagnoses(j.diagnoses));
  }

  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try { progress(await post(`/jobs/${encodeURIComponent(id)}/cancel`)); } catch (e) { outcome.replaceChildren(h('p.error', { role: 'alert', text: e.message })); }
    cancel.disabled = false;
  });

  setMain(
    h('h1', {}, `Job ${id.slice(0, 8)} `, status),
    h('p', {}, 'Model ', h('a', { href: `#/models/${encodeURIComponent(job.modelId)}`, text: job.modelId }), ', dataset ',
      h('a', { href: `#/datasets/${job.datasetId}`, text: job.datasetId.slice(0, 8) }),
      `, ${job.spec.training?.optimizer ?? 'adam'} at learning rate ${fmt(job.spec.training?.learningRate)}`),
    h('div.progress-row', {}, bar, barText, cancel), outcome,
    h('div.charts', {}, loss.el, accuracy.el, lr.el),
    section('History', h('div.scroll', {}, h('table', { id: 'job-history' }, h('thead', {}, historyHead), historyBody))),
    h('details', {}, h('summary', { text: 'Job spec' }), h('pre', { text: JSON.stringify(job.spec, null, 2) })));
  [loss, accuracy, lr].forEach(c => c.mount());
  progress(job);

  const events = stream(`/jobs/${encodeURIComponent(id)}/events`, ev => {
    if (ev.event === 'epoch') { epoch(ev.data); progress(ev.data); }
    else if (ev.event === 'progress') progress(ev.data);
    else if (ev.event === 'status') finished(ev.data);
  }, { isFinal: ev => ev.event === 'status', onError: e => outcome.replaceChildren(h('p.error', { role: 'alert', text: e.message })) });
  return () => { events.close(); [loss, accuracy, lr].forEach(c => c.destroy()); };
}

/** The training doctor's findings: what went wrong, the numbers that show it, and the notes' cure. */
function diagnoses(list) {
  return h('section', { id: 'job-diagnoses', 'aria-label': 'Diagnoses' }, h('h2', { text: 'Diagnoses' }),
    h('ul.diagnoses', {}, list.map(d => h(`li.diagnosis.${d.severity}`, { 'data-code': d.code },
      h('strong', { text: d.code }), ` (${d.severity}) `, h('span', { text: d.evidence }),
      h('p.hint', {}, h('strong', { text: 'Advice: ' }), d.advice)))));
}

/** An error's hint is its advice: the sentences from "Hint:" or an imperative such as "Lower the learning rate". */
function splitHint(message) {
  const m = /^(.*?[.:])\s+(?:Hint:\s*)?((?:Try|Lower|Use|Set|Scale|Reduce|Increase|Check|Upload)\b.*)$/s.exec(message);
  return m ? [m[1], m[2]] : [message, ''];
}
