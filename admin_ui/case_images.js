// A case's images: a strip of series thumbnails and the stack viewer of the chosen series.
import { h, clear } from './dom.js';
import { stackViewer } from './viewer.js';

/** `viewers` collects the open viewer so the page can stop its cine when it goes away. */
export function images(kase, viewers) {
  const series = kase.studies.flatMap((st) => st.series.map((se) => ({ ...se, study: st })));
  if (!series.length) return h('section', { class: 'card', 'aria-labelledby': 'img-h' }, h('h2', { id: 'img-h' }, 'Images'), h('p', { class: 'muted' }, 'No images yet.'));
  const stage = h('div', { class: 'stage' });
  const open = (se, button) => {
    viewers.forEach((v) => v.destroy());
    viewers.length = 0;
    const v = stackViewer(se, { label: `${se.study.description || 'Study'}: ${se.description || se.modality || 'series'}` });
    viewers.push(v);
    clear(stage).append(v.element);
    strip.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
  };
  const strip = h('ul', { class: 'series-strip', 'aria-label': 'Series' }, series.map((se) => {
    const b = h('button', { type: 'button', class: 'series-thumb', 'aria-pressed': 'false' },
      se.thumbnailUrl ? h('img', { src: se.thumbnailUrl, alt: '', width: 72, height: 72 }) : h('span', { class: 'thumb-empty' }, se.modality || '?'),
      h('span', {}, `${se.description || se.modality || 'Series'} (${se.instanceCount})`));
    b.addEventListener('click', () => open(se, b));
    return h('li', {}, b);
  }));
  const section = h('section', { class: 'card', 'aria-labelledby': 'img-h' }, h('h2', { id: 'img-h' }, 'Images'), strip, stage);
  open(series[0], strip.querySelector('button'));
  return section;
}
