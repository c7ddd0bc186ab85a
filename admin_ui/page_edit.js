// Create or edit a case; a stale version (VERSION_CONFLICT) opens a merge view instead of losing work.
import { h, append, clear, title, errorBox, announce, field } from './dom.js';
import { gql, mutate, ApiError } from './gql.js';
import { CASE_DETAIL, COLLECTIONS, CREATE_CASE, UPDATE_CASE } from './ops.js';
import { loadTree } from './curriculum.js';
import { FIELDS, valuesOf, same, control } from './case_fields.js';
import { curriculumPicker, tagInput } from './pickers.js';
import { mergeView } from './merge.js';

export async function render(view, { params, navigate }) {
  const editing = Boolean(params.id);
  const [tree, data] = await Promise.all([loadTree(), editing ? gql(CASE_DETAIL, { id: params.id }) : gql(COLLECTIONS)]);
  const kase = editing ? data.node : null;
  if (editing && !kase) { view.append(h('h1', {}, 'Case not found')); return; }
  title(editing ? `Edit: ${kase.title}` : 'New case');
  let base = editing ? valuesOf(kase) : valuesOf({});
  let expectedVersion = editing ? kase.version : null;

  const controls = {};
  const parts = [];
  for (const spec of FIELDS) {
    if (spec.kind === 'codes') controls[spec.key] = curriculumPicker(tree, base.curriculumCodes);
    else if (spec.kind === 'tags') controls[spec.key] = tagInput(base.tags);
    else controls[spec.key] = control(spec, base[spec.key]);
    parts.push(controls[spec.key].element);
  }
  let collection = null;
  if (!editing) {
    collection = h('select', { name: 'collection', required: true }, h('option', { value: '' }, 'Choose a collection'),
      data.collections.map((c) => h('option', { value: c.id }, `${c.title} (${c.path})`)));
    parts.unshift(field('Collection', collection));
  }
  const comment = h('input', { name: 'comment', placeholder: 'What changed, for the history' });
  const problems = h('div', { 'aria-live': 'polite', class: 'problems' });
  const mergeBox = h('div', {});
  const save = h('button', { type: 'submit' }, editing ? 'Save changes' : 'Create draft case');
  let merging = null;  // the merged values being saved, so the version records that it was a merge
  const current = () => Object.fromEntries(FIELDS.map(({ key }) => [key, controls[key].get()]));
  const setForm = (values) => FIELDS.forEach(({ key }) => controls[key].set(values[key]));

  async function conflict(mine) {
    const fresh = (await gql(CASE_DETAIL, { id: params.id })).node;
    const theirs = valuesOf(fresh);
    const last = (fresh.history || []).slice(-1)[0];
    const merge = mergeView({ base, mine, theirs, theirVersion: fresh.version, author: last && last.author ? last.author.displayName : '' });
    const saveMerged = h('button', { type: 'button', onclick: async () => {
      const merged = merge.merged();
      merging = merged;
      base = theirs;
      expectedVersion = fresh.version;
      setForm(merged);
      clear(mergeBox);
      await submit(merged);
    } }, 'Save merged version');
    const discard = h('button', { type: 'button', class: 'secondary', onclick: () => {
      base = theirs; expectedVersion = fresh.version; setForm(theirs); clear(mergeBox); announce('Your edit was discarded; the form shows the saved version.');
    } }, 'Discard my edit');
    clear(mergeBox).append(merge.element);
    merge.element.append(h('div', { class: 'buttons' }, saveMerged, discard));
    merge.element.querySelector('h2').setAttribute('tabindex', '-1');
    merge.element.querySelector('h2').focus();
  }

  async function submit(values) {
    clear(problems);
    save.disabled = true;
    try {
      if (!editing) {
        if (!collection.value) throw new ApiError('Choose a collection for the case.', 'INVALID_INPUT');
        const input = { collection: collection.value, comment: comment.value.trim() || null };
        for (const [k, v] of Object.entries(values)) if (!(Array.isArray(v) ? !v.length : !v)) input[k] = v;
        const payload = await mutate(CREATE_CASE, { input }, 'createCase');
        navigate(`/ui/cases/${encodeURIComponent(payload.case.id)}`);
        return;
      }
      const input = { id: kase.id, expectedVersion, comment: comment.value.trim() || (values === merging ? `Merged with version ${expectedVersion}` : null) };
      let changed = 0;
      for (const [k, v] of Object.entries(values)) if (!same(v, base[k])) { input[k] = v; changed += 1; }
      if (!changed) { problems.append(h('p', {}, 'Nothing has changed.')); return; }
      await mutate(UPDATE_CASE, { input }, 'updateCase');
      navigate(`/ui/cases/${encodeURIComponent(kase.id)}`);
    } catch (error) {
      if (error.code === 'VERSION_CONFLICT' && editing) {
        problems.append(errorBox({ message: 'This case was changed by someone else since you opened it.', code: error.code }));
        await conflict(values);
      } else {
        problems.append(errorBox(error));
      }
    } finally {
      save.disabled = false;
    }
  }

  const form = h('form', { class: 'card edit-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(current()); } },
    parts, field('Comment for the history', comment), problems, h('div', { class: 'buttons' }, save,
      h('a', { class: 'button secondary', href: editing ? `/ui/cases/${encodeURIComponent(kase.id)}` : '/ui/' }, 'Cancel')));
  append(view, [h('h1', {}, editing ? `Edit: ${kase.title || 'case'}` : 'New case'),
    editing ? h('p', { class: 'meta' }, `Editing version ${kase.version} (${kase.state.toLowerCase()}).`) : null, mergeBox, form]);
}
