// Tiny DOM helpers: build elements without innerHTML, announce to screen readers, show errors.
const PROPS = new Set(['value', 'checked', 'selected', 'indeterminate']);
const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (PROPS.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h('button', {class: 'x', onclick: fn}, 'Label') */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  return append(el, children);
}

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  return append(el, children);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function announce(message) {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = '';
  window.setTimeout(() => { status.textContent = message; }, 30);
}

let uid = 0;
export function nextId(prefix = 'f') { uid += 1; return `${prefix}-${uid}`; }

/** A labelled form control: field('Title', h('input', {...})) */
export function field(label, control, hint) {
  if (!control.id) control.id = nextId('field');
  const parts = [h('label', { for: control.id }, label), control];
  if (hint) {
    const hintId = nextId('hint');
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', { class: 'hint', id: hintId }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

/** An error box with a message and optional code, inserted where the error belongs. */
export function errorBox(error) {
  const code = error && error.code ? ` (${error.code})` : '';
  return h('div', { class: 'error-box', role: 'alert' }, `${error.message || error}${code}`);
}

/** Show an application-level error at the top of the page. */
export function showError(error) {
  const box = document.getElementById('errors');
  if (!box) return;
  clear(box);
  if (error) box.append(errorBox(error), h('button', { class: 'link', onclick: () => clear(box) }, 'Dismiss'));
}

export function stateBadge(state) {
  const name = (state || 'UNKNOWN').toUpperCase();
  return h('span', { class: `badge state-${name.toLowerCase()}` }, name.charAt(0) + name.slice(1).toLowerCase());
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'" };
function decode(text) { return text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (m) => ENTITIES[m]); }

/** A search snippet ("... <mark>stroke</mark> ...", escaped text) as safe DOM: only <mark> survives. */
export function snippet(text) {
  const out = h('span', { class: 'snippet' });
  const parts = String(text).split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) out.append(marked ? h('mark', {}, decode(part)) : document.createTextNode(decode(part)));
  }
  return out;
}

export function fmtDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function title(text) {
  document.title = text ? `${text} · Lightbox` : 'Lightbox';
}

export function lines(text) { return String(text || '').split('\n').map((l) => l.trim()).filter(Boolean); }
