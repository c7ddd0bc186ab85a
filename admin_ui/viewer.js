// A stack viewer: one series' rendered instances, scrolled with the wheel or keys, window presets, cine.
import { h, nextId } from './dom.js';

export const PRESETS = ['brain', 'subdural', 'stroke', 'lung', 'mediastinum', 'bone', 'abdomen', 'liver'];

function withParams(url, preset, frame) {
  const u = new URL(url, location.origin);
  if (frame) u.searchParams.set('frame', String(frame));
  if (preset) u.searchParams.set('preset', preset); else u.searchParams.delete('preset');
  return u.pathname + u.search;
}

/** Returns { element, destroy }. */
export function stackViewer(series, { label } = {}) {
  // Every frame of a multi-frame instance is a slice of the stack.
  const instances = series.instances.edges.map((e) => e.node).filter((n) => n.renderedUrl).flatMap((n) => (n.frameCount > 1
    ? Array.from({ length: n.frameCount }, (_, k) => ({ ...n, renderedUrl: withParams(n.renderedUrl, '', k + 1) })) : [n]));
  const name = label || series.description || 'Series';
  let index = 0;
  let preset = '';
  let timer = null;
  const img = h('img', { class: 'stack-image', alt: '' });
  const status = h('p', { class: 'stack-status', 'aria-live': 'polite' });
  const slider = h('input', { type: 'range', min: 1, max: Math.max(instances.length, 1), value: 1, id: nextId('slice') });
  const presetSelect = h('select', { id: nextId('preset') }, h('option', { value: '' }, 'As stored'),
    PRESETS.map((p) => h('option', { value: p }, p.charAt(0).toUpperCase() + p.slice(1))));
  const fps = h('select', { id: nextId('fps') }, [4, 8, 12, 20].map((n) => h('option', { value: n, selected: n === 8 }, `${n} frames/s`)));
  const play = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' }, 'Play cine');

  function show(i) {
    if (!instances.length) return;
    index = Math.max(0, Math.min(instances.length - 1, i));
    img.src = withParams(instances[index].renderedUrl, preset);
    img.alt = `${name}, image ${index + 1} of ${instances.length}${preset ? `, ${preset} window` : ''}`;
    slider.value = String(index + 1);
    status.textContent = `Image ${index + 1} / ${instances.length}`;
    for (const j of [index + 1, index + 2]) {
      if (j < instances.length) { const pre = new Image(); pre.src = withParams(instances[j].renderedUrl, preset); }
    }
  }
  function stop() {
    if (timer) window.clearInterval(timer);
    timer = null;
    play.textContent = 'Play cine';
    play.setAttribute('aria-pressed', 'false');
  }
  function start() {
    stop();
    timer = window.setInterval(() => show(index + 1 >= instances.length ? 0 : index + 1), 1000 / Number(fps.value));
    play.textContent = 'Pause cine';
    play.setAttribute('aria-pressed', 'true');
  }
  play.addEventListener('click', () => (timer ? stop() : start()));
  fps.addEventListener('change', () => { if (timer) start(); });
  slider.addEventListener('input', () => show(Number(slider.value) - 1));
  presetSelect.addEventListener('change', () => { preset = presetSelect.value; show(index); });

  const viewport = h('div', { class: 'stack-viewport', tabindex: '0', role: 'group',
    'aria-label': `${name}: image viewer. Arrow keys or the mouse wheel move through images; Page Up and Page Down jump 10; Home and End go to the ends; Space plays the cine.` }, img);
  viewport.addEventListener('wheel', (e) => { e.preventDefault(); show(index + (e.deltaY > 0 ? 1 : -1)); }, { passive: false });
  viewport.addEventListener('keydown', (e) => {
    const moves = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, PageDown: 10, PageUp: -10 };
    if (e.key in moves) { e.preventDefault(); show(index + moves[e.key]); }
    else if (e.key === 'Home') { e.preventDefault(); show(0); }
    else if (e.key === 'End') { e.preventDefault(); show(instances.length - 1); }
    else if (e.key === ' ') { e.preventDefault(); if (timer) stop(); else start(); }
  });

  const controls = h('div', { class: 'stack-controls' },
    h('div', { class: 'field inline' }, h('label', { for: slider.id }, 'Image'), slider),
    h('div', { class: 'field inline' }, h('label', { for: presetSelect.id }, 'Window'), presetSelect),
    h('div', { class: 'field inline' }, h('label', { for: fps.id }, 'Speed'), fps), play,
    series.cineUrl ? h('a', { href: series.cineUrl, target: '_blank', rel: 'noopener' }, 'Cine loop') : null);
  const element = h('div', { class: 'stack' }, instances.length ? [viewport, status, controls]
    : h('p', { class: 'muted' }, 'No images of this series can be shown.'));
  show(0);
  return { element, destroy: stop };
}
