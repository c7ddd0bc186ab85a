// Search: text with suggestions, the curriculum tree, facet filters with counts, result cards, pages.
import { h, clear, title, announce, errorBox, snippet, stateBadge } from './dom.js';
import { gql, capabilities } from './gql.js';
import { SEARCH } from './ops.js';
import { loadTree, findNodes, treeBrowser, CODE_RE } from './curriculum.js';
import { combobox } from './combobox.js';
import { isTrainer } from './auth.js';
import * as worklist from './worklist_draft.js';

const PAGE_SIZE = 20;
// Facet field from the server -> [URL parameter, CaseSearch key, legend]
const FACETS = {
  state: ['state', 'states', 'State'],
  modalities: ['mod', 'modalities', 'Modality'],
  bodyRegions: ['region', 'bodyRegions', 'Body region'],
  difficulty: ['diff', 'difficulties', 'Difficulty'],
};
const FILTER_PARAMS = [['cur', 'curriculum'], ...Object.values(FACETS).map(([p, k]) => [p, k])];

function fromQuery(query) {
  const st = { text: query.get('q') || '', orderBy: query.get('order') || '', collection: query.get('collection') || '' };
  for (const [param, key] of FILTER_PARAMS) st[key] = query.getAll(param);
  return st;
}

function toQuery(st) {
  const q = new URLSearchParams();
  if (st.text) q.set('q', st.text);
  if (st.orderBy) q.set('order', st.orderBy);
  if (st.collection) q.set('collection', st.collection);
  for (const [param, key] of FILTER_PARAMS) st[key].forEach((v) => q.append(param, v));
  return q.toString();
}

export function searchInput(st) {
  const input = {};
  if (st.text.trim()) input.text = st.text.trim();
  for (const [, key] of FILTER_PARAMS) if (st[key].length) input[key] = st[key];
  if (st.orderBy) input.orderBy = st.orderBy;
  if (st.collection) input.collection = st.collection;
  return input;
}

function card(node, highlights, pickable, onPickChange) {
  const href = `/ui/cases/${encodeURIComponent(node.id)}`;
  const thumb = node.thumbnailUrl
    ? h('img', { class: 'thumb', src: node.thumbnailUrl, alt: `Key image: ${node.title || 'case'}`, loading: 'lazy', width: 96, height: 96 })
    : h('div', { class: 'thumb thumb-empty', 'aria-hidden': 'true' }, 'No image');
  const meta = [node.modalities.join(', '), node.bodyRegions.join(', '), node.difficulty && node.difficulty.toLowerCase()]
    .filter(Boolean).join(' · ');
  const codes = (node.curriculum || []).map((c) => h('li', {}, h('code', { title: c.title }, c.code)));
  const marks = highlights.map((hl) => h('li', {}, h('span', { class: 'hl-field' }, `${hl.field}: `), snippet(hl.snippet)));
  let pick = null;
  if (pickable) {
    const label = () => (worklist.has(node.id) ? 'Remove from worklist' : 'Add to worklist');
    pick = h('button', { type: 'button', class: 'secondary small', 'aria-pressed': String(worklist.has(node.id)),
      onclick: (e) => {
        if (worklist.has(node.id)) worklist.remove(node.id); else worklist.add(node);
        e.currentTarget.setAttribute('aria-pressed', String(worklist.has(node.id)));
        e.currentTarget.textContent = label();
        onPickChange();
      } }, label());
  }
  return h('li', { class: 'result' }, thumb,
    h('div', { class: 'result-body' },
      h('h3', {}, h('a', { href }, node.title || 'Untitled case'), ' ', stateBadge(node.state)),
      meta ? h('p', { class: 'meta' }, meta) : null,
      codes.length ? h('ul', { class: 'codes', 'aria-label': 'Curriculum codes' }, codes) : null,
      marks.length ? h('ul', { class: 'highlights', 'aria-label': 'Matches' }, marks) : null,
      pick));
}

export async function render(view, { query }) {
  title('Search');
  const st = fromQuery(query);
  const [tree, caps] = await Promise.all([loadTree(), capabilities()]);
  const pickable = isTrainer() && caps.mutation.has('createWorklist');
  const query_ = caps.connection.has('suggestion') ? SEARCH.replace('totalCount', 'totalCount suggestion') : SEARCH;
  let cursors = [null];
  let page = 0;
  const expanded = new Set();  // tree branches the user opened survive each new search

  const results = h('section', { class: 'results', 'aria-labelledby': 'results-h', 'aria-busy': 'false' });
  const sidebar = h('aside', { class: 'sidebar', 'aria-label': 'Filters' });
  const chips = h('div', { class: 'chips', 'aria-label': 'Active filters' });
  const draftBar = h('p', { class: 'draft-bar', 'aria-live': 'polite' });

  function updateDraftBar() {
    clear(draftBar);
    const n = worklist.draft().length;
    if (pickable && n) draftBar.append(`${n} case${n === 1 ? '' : 's'} picked for a worklist. `, h('a', { href: '/ui/worklists' }, 'Build the worklist'));
  }

  function setFilter(key, values) {
    st[key] = values;
    cursors = [null]; page = 0;
    go();
  }

  const combo = combobox({
    label: 'Search cases', name: 'q', value: st.text, placeholder: 'e.g. hyperdense MCA, or a code such as NEURO.STROKE',
    suggest: async (text) => findNodes(tree, text).map((n) => ({ label: n.title, detail: n.code, node: n })),
    onChoose: (o) => { combo.input.value = ''; st.text = ''; if (!st.curriculum.includes(o.node.code)) setFilter('curriculum', [...st.curriculum, o.node.code]); },
    onEnter: () => submit(),
  });
  const order = h('select', { id: 'order', name: 'order' },
    [['', 'Best match'], ['NEWEST', 'Newest'], ['TITLE', 'Title']].map(([v, l]) => h('option', { value: v, selected: st.orderBy === v }, l)));
  order.addEventListener('change', () => { st.orderBy = order.value; cursors = [null]; page = 0; go(); });

  function submit() {
    const text = combo.input.value.trim();
    const code = text.toUpperCase();
    if (CODE_RE.test(code) && code.includes('.') && tree.byCode.has(code)) {
      combo.input.value = '';
      st.text = '';
      if (!st.curriculum.includes(code)) st.curriculum = [...st.curriculum, code];
    } else {
      st.text = text;
    }
    cursors = [null]; page = 0;
    go();
  }
  const form = h('form', { role: 'search', class: 'searchbar', onsubmit: (e) => { e.preventDefault(); submit(); } },
    combo.element, h('button', { type: 'submit' }, 'Search'),
    h('div', { class: 'field inline' }, h('label', { for: 'order' }, 'Order'), order));

  function renderChips() {
    clear(chips);
    if (st.collection) {
      chips.append(h('button', { type: 'button', class: 'chip', 'aria-label': 'Remove the collection filter',
        onclick: () => { st.collection = ''; cursors = [null]; page = 0; go(); } }, 'In one collection', h('span', { 'aria-hidden': 'true' }, ' ×')));
    }
    for (const [, key] of FILTER_PARAMS) {
      for (const value of st[key]) {
        const label = key === 'curriculum' ? `${value} ${tree.byCode.get(value) ? tree.byCode.get(value).title : ''}` : value;
        chips.append(h('button', { type: 'button', class: 'chip', 'aria-label': `Remove filter ${label}`,
          onclick: () => setFilter(key, st[key].filter((v) => v !== value)) }, label.trim(), h('span', { 'aria-hidden': 'true' }, ' ×')));
      }
    }
  }

  function renderSidebar(facets) {
    const focused = document.activeElement;
    const focusKey = focused && sidebar.contains(focused) ? (focused.id || focused.dataset.code) : null;
    clear(sidebar);
    const browser = treeBrowser(tree, {
      selected: new Set(st.curriculum), label: 'Curriculum tree', open: expanded,
      onPick: (node) => setFilter('curriculum', st.curriculum.includes(node.code)
        ? st.curriculum.filter((c) => c !== node.code) : [...st.curriculum, node.code]),
    });
    sidebar.append(h('section', { 'aria-labelledby': 'tree-h' }, h('h2', { id: 'tree-h' }, 'Curriculum'), browser));
    for (const facet of facets) {
      const spec = FACETS[facet.field];
      if (!spec || !facet.buckets.length) continue;
      const [, key, legend] = spec;
      const boxes = facet.buckets.map((b) => {
        const id = `facet-${facet.field}-${b.value}`.replace(/[^A-Za-z0-9_-]/g, '_');
        const box = h('input', { type: 'checkbox', id, value: b.value, checked: st[key].includes(b.value),
          onchange: (e) => setFilter(key, e.target.checked ? [...st[key], b.value] : st[key].filter((v) => v !== b.value)) });
        return h('li', {}, box, h('label', { for: id }, b.label, ' ', h('span', { class: 'count' }, `(${b.count})`)));
      });
      sidebar.append(h('fieldset', { class: 'facet' }, h('legend', {}, legend), h('ul', {}, boxes)));
    }
    if (focusKey) {
      const again = sidebar.querySelector(`[id="${CSS.escape(focusKey)}"], [data-code="${CSS.escape(focusKey)}"]`);
      if (again) again.focus();
    }
  }

  async function go(push = true) {
    const qs = toQuery(st);
    if (push) history.replaceState({}, '', `/ui/search${qs ? `?${qs}` : ''}`);
    renderChips();
    results.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await gql(query_, { search: searchInput(st), first: PAGE_SIZE, after: cursors[page] });
    } catch (error) {
      clear(results).append(h('h2', { id: 'results-h' }, 'Results'), errorBox(error));
      results.setAttribute('aria-busy', 'false');
      renderSidebar([]);
      return;
    }
    const conn = data.cases;
    renderSidebar(conn.facets);
    clear(results);
    const first = page * PAGE_SIZE + 1;
    const last = page * PAGE_SIZE + conn.edges.length;
    const summary = conn.totalCount === 0 ? 'No cases match.'
      : `${conn.totalCount} case${conn.totalCount === 1 ? '' : 's'} · showing ${first}–${last}`;
    results.append(h('h2', { id: 'results-h' }, 'Results'), h('p', { class: 'summary', id: 'result-summary' }, summary));
    if (conn.suggestion) {
      results.append(h('p', {}, 'Did you mean ', h('button', { type: 'button', class: 'link',
        onclick: () => { combo.input.value = conn.suggestion; submit(); } }, conn.suggestion), '?'));
    }
    results.append(h('ol', { class: 'result-list', start: first }, conn.edges.map((e) => card(e.node, e.highlights, pickable, updateDraftBar))));
    const prev = h('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => { page -= 1; go(); } }, 'Previous page');
    const next = h('button', { type: 'button', class: 'secondary', disabled: !conn.pageInfo.hasNextPage,
      onclick: () => { cursors[page + 1] = conn.pageInfo.endCursor; page += 1; go(); } }, 'Next page');
    results.append(h('nav', { class: 'pager', 'aria-label': 'Result pages' }, prev, h('span', {}, `Page ${page + 1}`), next));
    results.setAttribute('aria-busy', 'false');
    announce(summary);
  }

  view.append(h('h1', {}, 'Search the archive'), form, chips, draftBar, h('div', { class: 'with-sidebar' }, sidebar, results));
  updateDraftBar();
  await go(false);
}
