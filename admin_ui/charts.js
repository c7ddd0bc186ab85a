// Small SVG charts: a completion ring and a curriculum heat map (systems as rows, topics as cells).
import { h, s } from './dom.js';

export function ring(done, total, label) {
  const r = 42;
  const c = 2 * Math.PI * r;
  const share = total ? done / total : 0;
  return s('svg', { viewBox: '0 0 100 100', width: 120, height: 120, role: 'img', 'aria-label': `${label}: ${done} of ${total}`, class: 'ring' },
    s('circle', { cx: 50, cy: 50, r, class: 'ring-bg' }),
    s('circle', { cx: 50, cy: 50, r, class: 'ring-fg', 'stroke-dasharray': `${(share * c).toFixed(1)} ${c.toFixed(1)}`, transform: 'rotate(-90 50 50)' }),
    s('text', { x: 50, y: 55, 'text-anchor': 'middle', class: 'ring-text' }, `${Math.round(share * 100)}%`));
}

const STEPS = ['#f1f5f9', '#cfe3f3', '#9cc7e8', '#5fa2d6', '#2f76b5', '#17497a'];
export const LEGEND = STEPS;

function shade(share) {
  if (share === null) return 'url(#gap-hatch)';
  return STEPS[Math.min(STEPS.length - 1, Math.round(share * (STEPS.length - 1)))];
}

/**
 * nodes: [{code, title, depth}] in tree order; share(node) in 0..1, or null for "nothing to measure".
 * detail(node) is the tooltip text. Rows are the depth-1 systems; cells their descendants.
 */
export function heatMap(nodes, { share, detail, label }) {
  const systems = nodes.filter((n) => n.depth === 1);
  const rows = systems.map((sys) => ({ sys, cells: nodes.filter((n) => n.code.startsWith(`${sys.code}.`)) }));
  const cell = 26;
  const gap = 3;
  const left = 150;
  const width = left + Math.max(1, ...rows.map((r) => r.cells.length)) * (cell + gap);
  const height = rows.length * (cell + gap) + 4;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: 'heatmap' },
    s('defs', {}, s('pattern', { id: 'gap-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { width: 6, height: 6, fill: '#fff4e5' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#c2410c', 'stroke-width': 2 }))));
  rows.forEach(({ sys, cells }, i) => {
    const y = i * (cell + gap);
    svg.append(s('text', { x: 0, y: y + cell * 0.7, class: 'hm-label' }, sys.title.length > 22 ? `${sys.title.slice(0, 21)}…` : sys.title));
    cells.forEach((n, j) => {
      const v = share(n);
      svg.append(s('rect', { x: left + j * (cell + gap), y, width: cell, height: cell, rx: 3, fill: shade(v),
        class: `hm-cell depth-${n.depth}`, dataset: { code: n.code } }, s('title', {}, `${n.code} ${n.title}: ${detail(n)}`)));
    });
  });
  return svg;
}

export function legend() {
  return h('p', { class: 'legend' }, 'Less ', STEPS.map((c) => h('span', { class: `swatch swatch-${STEPS.indexOf(c)}`, 'aria-hidden': 'true' })), ' More',
    h('span', { class: 'swatch swatch-gap', 'aria-hidden': 'true' }), ' No validated case in the archive');
}

/** Horizontal bars: rows [{label, done, total, href}] as an SVG with a text alternative per bar. */
export function bars(rows, { label }) {
  const rowH = 26;
  const left = 170;
  const width = 640;
  const svg = s('svg', { viewBox: `0 0 ${width} ${rows.length * rowH + 4}`, width, height: rows.length * rowH + 4, role: 'img', 'aria-label': label, class: 'bars' });
  rows.forEach((r, i) => {
    const y = i * rowH;
    const share = r.total ? r.done / r.total : 0;
    svg.append(s('text', { x: 0, y: y + 17, class: 'hm-label' }, r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label),
      s('rect', { x: left, y: y + 4, width: width - left - 90, height: 16, class: 'bar-bg', rx: 3 }),
      s('rect', { x: left, y: y + 4, width: Math.max(0, (width - left - 90) * share), height: 16, class: 'bar-fg', rx: 3 },
        s('title', {}, `${r.label}: ${r.done} of ${r.total}`)),
      s('text', { x: width - 84, y: y + 17, class: 'hm-label' }, `${r.done}/${r.total}${r.score !== null && r.score !== undefined ? ` · ${Number(r.score).toFixed(1)}` : ''}`));
  });
  return svg;
}
