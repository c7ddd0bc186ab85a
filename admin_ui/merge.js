// A version conflict, resolved field by field: your edit, the version saved meanwhile, and the base.
import { h } from './dom.js';
import { FIELDS, LABELS, same, show } from './case_fields.js';

/**
 * base: values you started from; mine: your form; theirs: the newer saved values (version `theirVersion`).
 * Returns { element, merged() } where merged() gives the chosen value of every field.
 */
export function mergeView({ base, mine, theirs, theirVersion, author }) {
  const choice = {};
  const rows = [];
  for (const { key } of FIELDS) {
    const youChanged = !same(mine[key], base[key]);
    const theyChanged = !same(theirs[key], base[key]);
    if (!youChanged && !theyChanged) continue;
    let decide;
    if (youChanged && theyChanged && !same(mine[key], theirs[key])) {
      choice[key] = 'mine';
      const name = `merge-${key}`;
      const radio = (value, label) => h('label', { class: 'radio' }, h('input', { type: 'radio', name, value, checked: value === 'mine',
        onchange: () => { choice[key] = value; } }), label);
      decide = h('fieldset', { class: 'choice' }, h('legend', { class: 'visually-hidden' }, `Which ${LABELS[key]} to keep`),
        radio('mine', 'Keep yours'), radio('theirs', 'Keep theirs'));
    } else if (youChanged && !same(mine[key], theirs[key])) {
      choice[key] = 'mine';
      decide = h('span', { class: 'muted' }, 'Yours (only you changed it)');
    } else {
      choice[key] = 'theirs';
      decide = h('span', { class: 'muted' }, youChanged ? 'Same change on both sides' : 'Theirs (only they changed it)');
    }
    rows.push(h('tr', { dataset: { field: key }, class: youChanged && theyChanged && !same(mine[key], theirs[key]) ? 'conflict' : '' },
      h('th', { scope: 'row' }, LABELS[key]), h('td', { class: 'mine' }, show(mine[key])),
      h('td', { class: 'theirs' }, show(theirs[key])), h('td', { class: 'base' }, show(base[key])), h('td', {}, decide)));
  }
  const element = h('section', { class: 'card merge', 'aria-labelledby': 'merge-h' },
    h('h2', { id: 'merge-h' }, 'Someone saved this case while you were editing'),
    h('p', {}, `Version ${theirVersion}${author ? ` by ${author}` : ''} was saved after you started. Nothing of yours was saved yet. `
      + 'Choose, for each field changed on both sides, which value to keep; then save the merged version.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'diff' },
      h('caption', { class: 'visually-hidden' }, 'Fields that differ'),
      h('thead', {}, h('tr', {}, ['Field', 'Your edit', `Saved version ${theirVersion}`, 'You started from', 'Keep'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows))));
  const merged = () => Object.fromEntries(FIELDS.map(({ key }) => [key, choice[key] === 'mine' ? mine[key] : theirs[key]]));
  return { element, merged };
}
