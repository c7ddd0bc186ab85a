// Quarantine review: images held for possible burned-in text, shown to the case's editors.
import { h } from './dom.js';

function sized(url, size) {
  const u = new URL(url, location.origin);
  u.searchParams.set('size', String(size));
  return u.pathname + u.search;
}

/** null when nothing is held; the release itself needs an API operation the server may lack. */
export function quarantineSection(kase, caps) {
  const held = kase.studies.flatMap((st) => st.series.flatMap((se) => se.instances.edges.map((e) => ({ ...e.node, series: se }))))
    .filter((i) => i.quarantined);
  if (!held.length) return null;
  const canRelease = caps.mutation.has('releaseInstance');
  return h('section', { class: 'card quarantine', 'aria-labelledby': 'quarantine-h' },
    h('h2', { id: 'quarantine-h' }, `Quarantine review: ${held.length} image${held.length === 1 ? '' : 's'} held`),
    h('p', {}, 'These images may show burned-in patient details. Look at each one; the case cannot be submitted while any is held.',
      canRelease ? '' : ' Releasing an image is done with the lightbox command line until the API offers it.'),
    h('ul', { class: 'quarantine-list' }, held.map((i) => h('li', {},
      i.renderedUrl ? h('img', { src: sized(i.renderedUrl, 256), alt: `Held image ${i.instanceNumber || ''} of ${i.series.description || 'series'}`, width: 128, height: 128 }) : null,
      h('p', {}, h('strong', {}, `${i.series.description || 'Series'}, image ${i.instanceNumber ?? '?'}`), h('br'), i.quarantineReason || 'No reason given')))));
}
