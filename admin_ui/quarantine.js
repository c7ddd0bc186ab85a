// Quarantine review: images held for possible burned-in text, shown to the case's editors at full
// size. A person checks each one, draws rectangles over any text (OCR's proposals are drawn
// already), then redacts, releases or rejects it. The case cannot be submitted while one is held.
import { h, s, clear, announce, errorBox } from './dom.js';
import { gql, mutate } from './gql.js';
import { QUARANTINED_IMAGES, REVIEW_QUARANTINED_IMAGE } from './ops.js';

const MIN_SIDE = 2; // a click without a drag draws nothing

function frameUrl(url, frame) {
  const u = new URL(url, location.origin);
  if (frame > 1) u.searchParams.set('frame', String(frame));
  return u.pathname + u.search;
}

function rectAttrs(r, cls) {
  return { x: r.x, y: r.y, width: r.width, height: r.height, class: cls };
}

/** One held image: the full-size picture, an SVG layer to draw on, the regions and the three actions. */
export function reviewer(image, reload, { withCase = false } = {}) {
  const { columns, rows } = image;
  const proposed = image.proposedRegions.map((r) => ({ ...r, use: true }));
  const drawn = [];
  const out = h('div', { 'aria-live': 'polite' });
  const img = h('img', { src: frameUrl(image.renderedUrl, 1), width: columns, height: rows, draggable: 'false',
    alt: `Held image of ${image.case ? image.case.title : 'this case'}, ${columns} by ${rows} pixels` });
  const layer = s('svg', { class: 'q-layer', viewBox: `0 0 ${columns} ${rows}`, width: columns, height: rows,
    'aria-hidden': 'true', dataset: { role: 'draw' } });
  const list = h('ul', { class: 'q-regions' });
  const redactButton = h('button', { type: 'button', dataset: { action: 'REDACT' } });

  const chosen = () => [...proposed.filter((r) => r.use), ...drawn].map(({ x, y, width, height }) => ({ x, y, width, height }));
  function paint() {
    clear(layer);
    proposed.forEach((r) => layer.append(s('rect', rectAttrs(r, r.use ? 'proposed' : 'proposed off'))));
    drawn.forEach((r) => layer.append(s('rect', rectAttrs(r, 'drawn'))));
    clear(list);
    proposed.forEach((r, i) => list.append(h('li', {}, h('label', {},
      h('input', { type: 'checkbox', checked: r.use, onchange: (e) => { r.use = e.target.checked; paint(); } }),
      ` Text found by OCR at ${r.x}, ${r.y} (${r.width} × ${r.height})`), ` #${i + 1}`)));
    drawn.forEach((r, i) => list.append(h('li', { class: 'drawn' }, `Drawn: ${r.x}, ${r.y} (${r.width} × ${r.height}) `,
      h('button', { type: 'button', class: 'link', onclick: () => { drawn.splice(i, 1); paint(); } }, 'Remove'))));
    const n = chosen().length;
    redactButton.textContent = n ? `Redact ${n} region${n === 1 ? '' : 's'} in every frame` : 'Redact (draw a rectangle first)';
    redactButton.disabled = n === 0;
  }

  // Drawing: pointer positions are mapped from the displayed size to stored pixels.
  let start = null;
  let live = null;
  const point = (e) => {
    const box = layer.getBoundingClientRect();
    const x = Math.round(((e.clientX - box.left) * columns) / box.width);
    const y = Math.round(((e.clientY - box.top) * rows) / box.height);
    return { x: Math.max(0, Math.min(columns, x)), y: Math.max(0, Math.min(rows, y)) };
  };
  const between = (a, b) => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) });
  layer.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    layer.setPointerCapture(e.pointerId);
    start = point(e);
    live = s('rect', rectAttrs({ ...start, width: 0, height: 0 }, 'drawing'));
    layer.append(live);
  });
  layer.addEventListener('pointermove', (e) => {
    if (!start) return;
    const r = between(start, point(e));
    Object.entries(r).forEach(([k, v]) => live.setAttribute(k, String(v)));
  });
  layer.addEventListener('pointerup', (e) => {
    if (!start) return;
    const r = between(start, point(e));
    start = null;
    if (r.width >= MIN_SIDE && r.height >= MIN_SIDE) drawn.push(r);
    paint();
  });

  async function act(action, button) {
    clear(out);
    if (action === 'REJECT' && !window.confirm('Remove this image from the case? This cannot be undone.')) return;
    button.disabled = true;
    try {
      await mutate(REVIEW_QUARANTINED_IMAGE, { instance: image.id, action, regions: action === 'REDACT' ? chosen() : null },
        'reviewQuarantinedImage');
      announce({ RELEASE: 'Image released', REDACT: 'Image redacted and released', REJECT: 'Image removed' }[action]);
      reload();
    } catch (error) {
      out.append(errorBox(error));
      button.disabled = false;
    }
  }
  redactButton.addEventListener('click', () => act('REDACT', redactButton));

  const frames = image.frameCount > 1 ? h('label', { class: 'q-frame' }, `Frame (1 to ${image.frameCount}; a redaction blanks every frame) `,
    h('input', { type: 'number', min: 1, max: image.frameCount, value: 1, onchange: (e) => {
      const n = Math.max(1, Math.min(image.frameCount, Number(e.target.value) || 1));
      img.src = frameUrl(image.renderedUrl, n);
    } })) : null;
  paint();
  return h('li', { class: 'q-item', dataset: { instance: image.id } },
    withCase && image.case ? h('h2', {}, h('a', { href: `/ui/cases/${encodeURIComponent(image.case.id)}` }, image.case.title || 'Untitled case')) : null,
    h('p', {}, h('strong', {}, image.quarantineReason || 'Held for review'), ` · ${columns} × ${rows} pixels`,
      image.frameCount > 1 ? ` · ${image.frameCount} frames` : ''),
    frames,
    h('div', { class: 'q-canvas' }, img, layer),
    h('p', { class: 'hint' }, 'Drag on the image to cover any name, date, number or place; OCR\'s proposals are dashed.'),
    list,
    h('div', { class: 'buttons' }, redactButton,
      h('button', { type: 'button', class: 'secondary', dataset: { action: 'RELEASE' }, onclick: (e) => act('RELEASE', e.currentTarget) },
        'Release as is (nothing identifying)'),
      h('button', { type: 'button', class: 'secondary danger', dataset: { action: 'REJECT' }, onclick: (e) => act('REJECT', e.currentTarget) },
        'Reject image')),
    out);
}

/** Every held image the caller may review (of one case, when given); the queue is short, so all pages are read. */
export async function heldImages(kase = null) {
  const out = [];
  let after = null;
  for (;;) {
    const data = await gql(QUARANTINED_IMAGES, { first: 100, after });
    const page = data.quarantinedImages;
    out.push(...page.edges.map((e) => e.node).filter((n) => !kase || (n.case && n.case.id === kase.id)));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

/** null when nothing is held; otherwise a section that loads the review queue of this case. */
export function quarantineSection(kase, { reload }) {
  const held = kase.studies.flatMap((st) => st.series.flatMap((se) => se.instances.edges.map((e) => e.node)))
    .filter((i) => i.quarantined);
  if (!held.length) return null;
  const body = h('div', { class: 'q-body' }, h('p', {}, 'Loading the images…'));
  heldImages(kase).then((images) => {
    clear(body);
    body.append(h('ul', { class: 'quarantine-list' }, images.map((image) => reviewer(image, reload))));
  }).catch((error) => { clear(body); body.append(errorBox(error)); });
  return h('section', { class: 'card quarantine', 'aria-labelledby': 'quarantine-h' },
    h('h2', { id: 'quarantine-h' }, `Quarantine review: ${held.length} image${held.length === 1 ? '' : 's'} held`),
    h('p', {}, 'These images may show burned-in patient details. Check each one at full size: blank any text that could '
      + 'identify someone (redact), release it if there is none, or reject it. The case cannot be submitted while any is held.'),
    body);
}
