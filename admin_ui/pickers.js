// Form widgets: a curriculum picker (search + tree) and a tag input; each exposes get()/set().
import { h, clear, nextId, announce } from './dom.js';
import { findNodes, treeBrowser, retiredNote } from './curriculum.js';
import { combobox } from './combobox.js';

function chipList(label, values, onRemove, describe = (v) => v) {
  return h('ul', { class: 'chips', 'aria-label': label }, values.map((v) => h('li', {},
    h('span', { class: 'chip static' }, describe(v),
      h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove ${v}`, onclick: () => onRemove(v) }, '×')))));
}

export function curriculumPicker(tree, initial = []) {
  let codes = [...initial];
  const selected = h('div', {});
  const treeBox = h('div', { class: 'tree-box' });
  // A retired code already on the case stays visible, with what replaces it; it cannot be chosen anew.
  const describe = (c) => {
    const node = tree.byCode.get(c);
    if (!node) return c;
    const note = retiredNote(node);
    return note ? `${c} — ${node.title} (${note})` : `${c} — ${node.title}`;
  };
  function redraw() {
    clear(selected).append(codes.length ? chipList('Chosen curriculum codes', codes, remove, describe) : h('p', { class: 'muted' }, 'No codes chosen.'));
    clear(treeBox).append(treeBrowser(tree, { selected: new Set(codes), counts: false, label: 'Curriculum tree', onPick: toggle, retired: false }));
  }
  function toggle(node) { if (codes.includes(node.code)) remove(node.code); else add(node.code); }
  function add(code) { if (!codes.includes(code)) { codes = [...codes, code]; announce(`Added ${code}`); redraw(); } }
  function remove(code) { codes = codes.filter((c) => c !== code); announce(`Removed ${code}`); redraw(); }
  const combo = combobox({ label: 'Find a curriculum code', name: 'curriculum-search', placeholder: 'Type a condition or a code',
    suggest: async (text) => findNodes(tree, text, 8, { retired: false }).map((n) => ({ label: n.title, detail: n.code, node: n })),
    onChoose: (o) => { combo.input.value = ''; add(o.node.code); } });
  const browse = h('details', { class: 'browse' }, h('summary', {}, 'Browse the curriculum tree'), treeBox);
  redraw();
  const element = h('fieldset', { class: 'picker' }, h('legend', {}, 'Curriculum codes'), combo.element, selected, browse);
  return { element, get: () => [...codes], set: (v) => { codes = [...v]; redraw(); } };
}

export function tagInput(initial = []) {
  let tags = [...initial];
  const list = h('div', {});
  const id = nextId('tags');
  const input = h('input', { id, type: 'text', name: 'tag', autocomplete: 'off' });
  function redraw() { clear(list).append(tags.length ? chipList('Tags', tags, (t) => { tags = tags.filter((x) => x !== t); redraw(); }) : ''); }
  function addFromInput() {
    const fresh = input.value.split(',').map((t) => t.trim()).filter(Boolean).filter((t) => !tags.includes(t));
    if (fresh.length) { tags = [...tags, ...fresh]; announce(`Added tag ${fresh.join(', ')}`); }
    input.value = '';
    redraw();
  }
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ',') { e.preventDefault(); addFromInput(); } });
  input.addEventListener('blur', addFromInput);
  redraw();
  const element = h('div', { class: 'field' }, h('label', { for: id }, 'Tags'), input,
    h('p', { class: 'hint' }, 'Press Enter or type a comma after each tag.'), list);
  return { element, get: () => { addFromInput(); return [...tags]; }, set: (v) => { tags = [...v]; redraw(); } };
}
