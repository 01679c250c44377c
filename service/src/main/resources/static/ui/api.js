// The service's API from the browser. The API key lives in sessionStorage (never in a URL) and goes
// out as "Authorization: Bearer" on every request; event streams are read with fetch() and a stream
// reader because EventSource cannot send headers.
const KEY = 'trainserve.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key); else sessionStorage.removeItem(KEY);
}

function headers(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

/** A problem+json body as an Error with .problem and .status. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function request(method, path, body) {
  const init = { method, headers: headers({ Accept: 'application/json, application/problem+json' }) };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, init);
  if (res.status === 401) document.dispatchEvent(new CustomEvent('trainserve:unauthorized'));
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = path => request('GET', path);
export const post = (path, body) => request('POST', path, body);

/** Downloads a file through fetch (so the key goes in a header) and saves it under its attachment name. */
export async function download(path, fallbackName) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '')?.[1] || fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * Reads a text/event-stream. onEvent({id, event, data}) per event. Reconnects with Last-Event-ID when
 * the connection drops before the server ended it with a final event (isFinal(event) true).
 * Returns {close()}.
 */
export function stream(path, onEvent, { isFinal = () => false, onError = () => {} } = {}) {
  const controller = new AbortController();
  let lastId = null;
  let finished = false;
  async function connect(attempt) {
    try {
      const h = headers({ Accept: 'text/event-stream' });
      if (lastId !== null) h['Last-Event-ID'] = lastId;
      const res = await fetch(path, { headers: h, signal: controller.signal });
      if (!res.ok) {
        finished = true;
        onError(new ApiError(res.status, await res.json().catch(() => null)));
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const ev = parse(block);
          if (!ev) continue;
          if (ev.id !== null) lastId = ev.id;
          onEvent(ev);
          if (isFinal(ev)) finished = true;
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    if (!finished && !controller.signal.aborted) setTimeout(() => connect(attempt + 1), Math.min(5000, 500 * (attempt + 1)));
  }
  connect(0);
  return { close: () => controller.abort() };
}

function parse(block) {
  let id = null, event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  const text = data.join('\n');
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { id, event, data: json ?? text };
}
