// Worklists: build one from a search, put the cases in order, create it, assign it to a cohort by a date.
import { h, append, clear, title, errorBox, field, announce, stateBadge } from './dom.js';
import { gql, mutate, capabilities } from './gql.js';
import { SEARCH, ME, CREATE_WORKLIST, ASSIGN_WORKLIST } from './ops.js';
import { loadTree, findNodes } from './curriculum.js';
import { combobox } from './combobox.js';
import * as draft from './worklist_draft.js';

function unavailable(view) {
  view.append(h('h1', {}, 'Worklists'), h('p', { class: 'notice' },
    'This server does not offer worklists yet (the createWorklist operation is missing from its API).'));
}

function orderedList(onChange) {
  const list = h('ol', { class: 'worklist-items', 'aria-label': 'Cases in the worklist, in order' });
  let dragged = null;
  function redraw(focusId, focusAction) {
    const items = draft.draft();
    clear(list);
    if (!items.length) list.append(h('li', { class: 'muted' }, 'No cases yet: add them from the search.'));
    items.forEach((item, i) => {
      const move = (delta, action) => () => {
        const next = draft.draft();
        const [moved] = next.splice(i, 1);
        next.splice(i + delta, 0, moved);
        draft.save(next);
        redraw(item.id, action);
        announce(`${item.title} moved to position ${i + delta + 1}`);
      };
      const li = h('li', { draggable: 'true', dataset: { id: item.id } },
        h('span', { class: 'grip', 'aria-hidden': 'true' }, '⋮⋮'), h('span', { class: 'item-title' }, item.title),
        h('span', { class: 'buttons' },
          h('button', { type: 'button', class: 'secondary small', dataset: { action: 'up' }, disabled: i === 0, 'aria-label': `Move ${item.title} up`, onclick: move(-1, 'up') }, '↑'),
          h('button', { type: 'button', class: 'secondary small', dataset: { action: 'down' }, disabled: i === items.length - 1, 'aria-label': `Move ${item.title} down`, onclick: move(1, 'down') }, '↓'),
          h('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove ${item.title}`, onclick: () => { draft.remove(item.id); redraw(); onChange(); } }, 'Remove')));
      li.addEventListener('dragstart', () => { dragged = i; });
      li.addEventListener('dragover', (e) => e.preventDefault());
      li.addEventListener('drop', (e) => {
        e.preventDefault();
        if (dragged === null || dragged === i) return;
        const next = draft.draft();
        const [moved] = next.splice(dragged, 1);
        next.splice(i, 0, moved);
        draft.save(next);
        dragged = null;
        redraw();
      });
      list.append(li);
    });
    if (focusId) {
      const again = list.querySelector(`li[data-id="${CSS.escape(focusId)}"] button[data-action="${focusAction}"]`);
      if (again && !again.disabled) again.focus();
      else if (again) again.parentElement.querySelector('button:not([disabled])').focus();
    }
    onChange();
  }
  return { list, redraw };
}

function finder(tree, onAdd) {
  const results = h('div', { 'aria-live': 'polite' });
  let codes = [];
  const combo = combobox({ label: 'Find validated cases', name: 'wl-q', placeholder: 'Text, or a curriculum code',
    suggest: async (text) => findNodes(tree, text).map((n) => ({ label: n.title, detail: n.code, node: n })),
    onChoose: (o) => { combo.input.value = o.node.code; run(); }, onEnter: () => run() });
  async function run() {
    const text = combo.input.value.trim();
    codes = tree.byCode.has(text.toUpperCase()) ? [text.toUpperCase()] : [];
    const search = { states: ['VALIDATED'], ...(codes.length ? { curriculum: codes } : text ? { text } : {}) };
    clear(results);
    try {
      const data = await gql(SEARCH, { search, first: 50 });
      const edges = data.cases.edges;
      append(results, [h('p', { class: 'summary' }, `${data.cases.totalCount} validated case${data.cases.totalCount === 1 ? '' : 's'} found.`),
        edges.length ? h('button', { type: 'button', class: 'secondary', onclick: () => { edges.forEach((e) => draft.add(e.node)); onAdd(); } }, `Add all ${edges.length} to the worklist`) : null,
        h('ul', { class: 'plain-list' }, edges.map(({ node }) => h('li', {}, h('button', { type: 'button', class: 'secondary small',
          'aria-label': `Add ${node.title}`, onclick: () => { draft.add(node); onAdd(); } }, 'Add'), ' ',
        h('a', { href: `/ui/cases/${encodeURIComponent(node.id)}`, target: '_blank', rel: 'noopener' }, node.title), ' ', stateBadge(node.state),
        ' ', (node.curriculum || []).map((c) => h('code', {}, c.code, ' ')))))]);
    } catch (error) { results.append(errorBox(error)); }
  }
  return h('section', { class: 'card', 'aria-labelledby': 'find-h' }, h('h2', { id: 'find-h' }, '1. Find cases'),
    h('form', { role: 'search', class: 'searchbar', onsubmit: (e) => { e.preventDefault(); run(); } }, combo.element, h('button', { type: 'submit' }, 'Find')), results);
}

export function assignForm(worklist, cohorts, { heading = `3. Assign “${worklist.title}”` } = {}) {
  const cohort = h('select', { name: 'cohort' }, cohorts.length ? cohorts.map((c) => h('option', { value: c.id }, c.title))
    : h('option', { value: '' }, 'You are in no cohort'));
  const due = h('input', { type: 'datetime-local', name: 'due' });
  const out = h('div', { 'aria-live': 'polite' });
  return h('section', { class: 'card', 'aria-labelledby': 'assign-h' }, h('h2', { id: 'assign-h' }, heading),
    h('form', { onsubmit: async (e) => {
      e.preventDefault();
      clear(out);
      try {
        const input = { worklist: worklist.id, cohort: cohort.value || null, dueAt: due.value ? new Date(due.value).toISOString() : null };
        const payload = await mutate(ASSIGN_WORKLIST, { input }, 'assignWorklist');
        const names = payload.assignments.map((a) => a.trainee.displayName);
        out.append(h('p', { class: 'success', role: 'status' }, `Assigned to ${names.length} trainee${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`));
      } catch (error) { out.append(errorBox(error)); }
    } }, field('Cohort', cohort), field('Due', due, 'Your local time.'), h('button', { type: 'submit' }, 'Assign')), out);
}

const WORKLISTS = `query Worklists { worklists { id title caseCount } }`;

/** The trainer's existing worklists (when the server lists them), each assignable again. */
async function existing(cohorts, assignBox) {
  const list = (await gql(WORKLISTS)).worklists;
  if (!list.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'existing-h' }, h('h2', { id: 'existing-h' }, 'Your worklists'),
    h('ul', { class: 'plain-list' }, list.map((w) => h('li', {}, h('a', { href: `/ui/worklists/${encodeURIComponent(w.id)}` }, w.title), ` (${w.caseCount} cases) `,
      h('button', { type: 'button', class: 'secondary small', onclick: () => {
        clear(assignBox).append(assignForm(w, cohorts));
        assignBox.querySelector('select').focus();
      } }, `Assign ${w.title}`)))));
}

export async function render(view) {
  title('Worklists');
  const caps = await capabilities();
  if (!caps.mutation.has('createWorklist')) { unavailable(view); return; }
  const [tree, me] = await Promise.all([loadTree(), gql(ME)]);
  const titleInput = h('input', { name: 'title', required: true });
  const instructions = h('textarea', { name: 'instructions', rows: 2 });
  const mode = h('select', { name: 'mode' }, h('option', { value: 'LONG_CASE' }, 'Long cases'), h('option', { value: 'RAPID_REPORTING' }, 'Rapid reporting'));
  const limit = h('input', { type: 'number', name: 'limit', min: 1, max: 1440 });
  // The server keeps the clock: after the limit it flags late answers or refuses them, as chosen here.
  const late = caps.worklist.has('lateAnswers')
    ? h('select', { name: 'lateAnswers' }, h('option', { value: 'FLAG' }, 'Accept them, marked late'), h('option', { value: 'REFUSE' }, 'Refuse them'))
    : null;
  const count = h('p', { class: 'summary' });
  const ordered = orderedList(() => { const n = draft.draft().length; count.textContent = `${n} case${n === 1 ? '' : 's'} in order.`; });
  const out = h('div', { 'aria-live': 'polite' });
  const assignBox = h('div', {});
  const build = h('section', { class: 'card', 'aria-labelledby': 'build-h' }, h('h2', { id: 'build-h' }, '2. Order and create'),
    count, ordered.list,
    h('form', { onsubmit: async (e) => {
      e.preventDefault();
      clear(out);
      const items = draft.draft();
      try {
        const input = { title: titleInput.value.trim(), instructions: instructions.value.trim() || null, mode: mode.value,
          cases: items.map((c) => c.id), timeLimitMinutes: limit.value ? Number(limit.value) : null };
        if (late) input.lateAnswers = late.value;
        const payload = await mutate(CREATE_WORKLIST, { input }, 'createWorklist');
        draft.clearDraft();
        ordered.redraw();
        out.append(h('p', { class: 'success', role: 'status' }, `Created “${payload.worklist.title}” with ${payload.worklist.caseCount} cases. `,
          h('a', { href: `/ui/worklists/${encodeURIComponent(payload.worklist.id)}` }, 'Open the worklist')));
        clear(assignBox).append(assignForm(payload.worklist, me.me.cohorts));
        assignBox.querySelector('select').focus();
      } catch (error) { out.append(errorBox(error)); }
    } }, field('Title', titleInput), field('Instructions', instructions), field('Mode', mode),
    field('Time limit (minutes)', limit, 'Optional; the clock starts when the trainee opens the reporting room.'),
    late ? field('Answers after the time limit', late) : null, h('button', { type: 'submit' }, 'Create worklist')), out);
  view.append(h('h1', {}, 'Build a worklist'), h('div', { class: 'two-col' }, finder(tree, () => ordered.redraw()), build), assignBox);
  if (caps.query.has('worklists')) {
    try { const section = await existing(me.me.cohorts, assignBox); if (section) view.append(section); } catch (error) { view.append(errorBox(error)); }
  }
  ordered.redraw();
}
