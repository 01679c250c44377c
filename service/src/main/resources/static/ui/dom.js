// Small DOM helpers: h('tag.class', {attrs}, ...children), tables, number formatting.
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function fmt(x, digits = 4) {
  if (x === null || x === undefined) return '';
  if (typeof x !== 'number') return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(2) : x.toFixed(digits).replace(/\.?0+$/, '');
}

/** A scrollable table: headers and rows of cells (strings, numbers or nodes). */
export function table(headers, rows, caption) {
  return h('div.scroll', {},
    h('table', {},
      caption ? h('caption', { text: caption }) : null,
      h('thead', {}, h('tr', {}, headers.map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, c instanceof Node ? c : fmt(c))))))));
}

export function section(title, ...children) {
  return h('section', {}, h('h2', { text: title }), ...children);
}

export function setMain(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return main;
}

export function seconds(s) {
  if (s === null || s === undefined) return '';
  s = Math.round(s);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}
