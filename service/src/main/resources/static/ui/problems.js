// Shows an API problem (problem+json) to the user: on the form field it names when there is one.
import { h } from './dom.js';

/** Text of a problem: detail plus what was given and what is allowed. */
export function describe(p) {
  const parts = [p.detail || p.title || 'Request failed'];
  if (p.given !== undefined && p.given !== null && !(p.detail || '').includes(`given ${p.given}`)) parts.push(`given: ${p.given}`);
  if (p.allowed && !(p.detail || '').includes(p.allowed)) parts.push(`allowed: ${p.allowed}`);
  return parts.join(' — ');
}

/** Clears earlier problem marks inside root. */
export function clear(root) {
  root.querySelectorAll('.field-error').forEach(e => e.remove());
  root.querySelectorAll('[aria-invalid]').forEach(e => { e.removeAttribute('aria-invalid'); e.removeAttribute('aria-describedby'); });
  root.querySelectorAll('.problem').forEach(e => e.replaceChildren());
}

/**
 * Marks the fields a problem names (its field and every violation) inside root: each input whose
 * data-field equals the field path (or its closest parent path) gets the message under it. What no
 * input matches goes to the root's .problem box.
 */
export function show(root, error) {
  clear(root);
  const p = error.problem || { detail: error.message };
  const items = p.violations?.length ? p.violations.map(v => ({ ...v, detail: `${v.field}: given ${v.given}; allowed: ${v.allowed}` }))
    : [{ field: p.field, given: p.given, allowed: p.allowed, detail: p.detail, title: p.title }];
  const box = root.querySelector('.problem');
  const unplaced = [];
  items.forEach((item, i) => {
    const input = item.field ? findField(root, item.field) : null;
    const text = describe(item);
    if (!input) { unplaced.push(text); return; }
    const id = `err-${Date.now()}-${i}`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    (input.closest('label, .field') || input.parentElement).append(h('span.field-error', { id, role: 'alert', 'data-error-for': item.field, text }));
    if (i === 0) input.focus();
  });
  if (box) box.append(...unplaced.map(t => h('p.error', { role: 'alert', text: t })),
    ...(unplaced.length === 0 ? [] : [h('p.small', { text: `HTTP ${error.status || ''} ${p.code || ''}` })]));
}

function findField(root, field) {
  let path = field;
  while (path) {
    const el = root.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (el) return el;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    path = cut > 0 ? path.slice(0, cut) : '';
  }
  return null;
}
