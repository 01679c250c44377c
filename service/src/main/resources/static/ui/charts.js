// Line charts with uPlot (Maven Central webjar), x = epoch. Each chart records its point count in
// data-points on its container (the browser tests read it) and is kept in window.trainserveCharts.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { h } from './dom.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

export function lineChart(title, names, { log = false, height = 220 } = {}) {
  const box = h('figure.chart', { 'data-chart': title, 'data-points': '0' }, h('figcaption', { text: title }));
  const plotBox = h('div');
  box.append(plotBox);
  const data = [[], ...names.map(() => [])];
  let plot = null;
  const width = () => Math.max(260, Math.min(box.clientWidth || 600, 900) - 8);
  function ensure() {
    if (plot || !box.isConnected) return;
    plot = new uPlot({
      width: width(), height,
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] }, {}],
      series: [{ label: 'epoch' }, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 2,
        dash: n.includes('val_') ? [6, 4] : undefined, spanGaps: true }))],
    }, data, plotBox);
    window.trainserveCharts = window.trainserveCharts || {};
    window.trainserveCharts[title] = plot;
  }
  const onResize = () => plot && plot.setSize({ width: width(), height });
  window.addEventListener('resize', onResize);
  function redraw() {
    box.dataset.points = String(data[0].length);
    ensure();
    if (plot) plot.setData(data);
  }
  return {
    el: box,
    /** Adds one x with a value per series (null where absent); ignores an x already present. */
    add(x, values) {
      if (data[0].includes(x)) return;
      data[0].push(x);
      values.forEach((v, i) => data[i + 1].push(v ?? null));
      redraw();
    },
    mount: redraw,
    points: () => data[0].length,
    destroy() { window.removeEventListener('resize', onResize); plot?.destroy(); },
  };
}
