// An accessible combobox (ARIA 1.2 list autocomplete): a text input with a listbox of suggestions.
import { h, clear, nextId } from './dom.js';

/**
 * `suggest(text)` returns [{label, detail, value}]; `onChoose(option)` runs on Enter/click.
 * Returns { input, element }.
 */
export function combobox({ label, name, value = '', placeholder = '', suggest, onChoose, onEnter }) {
  const listId = nextId('listbox');
  const input = h('input', { type: 'search', name, value, placeholder, role: 'combobox', autocomplete: 'off',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId });
  const list = h('ul', { id: listId, role: 'listbox', class: 'listbox', hidden: true, 'aria-label': `${label} suggestions` });
  let options = [];
  let active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function highlight(i) {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', list.children[i].id);
    else input.removeAttribute('aria-activedescendant');
  }
  function choose(i) {
    const option = options[i];
    close();
    if (option) onChoose(option);
  }
  async function refresh() {
    options = await suggest(input.value);
    clear(list);
    options.forEach((o, i) => list.append(h('li', { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false',
      onmousedown: (e) => { e.preventDefault(); choose(i); } }, h('span', {}, o.label), o.detail ? h('span', { class: 'detail' }, o.detail) : null)));
    const show = options.length > 0 && document.activeElement === input;
    list.hidden = !show;
    input.setAttribute('aria-expanded', String(show));
    highlight(-1);
  }
  input.addEventListener('input', refresh);
  input.addEventListener('blur', () => window.setTimeout(close, 100));
  input.addEventListener('keydown', (e) => {
    const open = !list.hidden;
    if (e.key === 'ArrowDown') { e.preventDefault(); if (!open) refresh(); else highlight(Math.min(active + 1, options.length - 1)); }
    else if (e.key === 'ArrowUp' && open) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (e.key === 'Escape' && open) { e.preventDefault(); close(); }
    else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && active >= 0) choose(active);
      else { close(); if (onEnter) onEnter(input.value); }
    }
  });
  const labelEl = h('label', { for: input.id || (input.id = nextId('combo')) }, label);
  return { input, element: h('div', { class: 'combobox' }, labelEl, input, list), close };
}
