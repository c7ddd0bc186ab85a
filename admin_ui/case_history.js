// A case's history: versions with comments, side-by-side diff of any two, revert for editors.
import { h, clear, fmtDate, errorBox, announce } from './dom.js';
import { gql, mutate } from './gql.js';
import { CASE_DIFF, REVERT } from './ops.js';

function pretty(value) {
  if (value === null || value === undefined || value === '') return h('span', { class: 'muted' }, '(empty)');
  try {
    const parsed = JSON.parse(value);
    if (Array.isArray(parsed)) return h('ul', {}, parsed.map((v) => h('li', {}, String(v))));
  } catch (err) { /* plain text */ }
  return String(value);
}

export function diffTable(rows, fromLabel, toLabel) {
  if (!rows.length) return h('p', {}, 'The two versions have the same content.');
  return h('table', { class: 'diff' }, h('caption', {}, `Changes from ${fromLabel} to ${toLabel}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, fromLabel), h('th', { scope: 'col' }, toLabel))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.field),
      h('td', { class: 'before' }, pretty(r.before)), h('td', { class: 'after' }, pretty(r.after))))));
}

export function historySection(kase, { canEdit, reload }) {
  const versions = kase.history || [];
  const out = h('div', { class: 'diff-out', 'aria-live': 'polite' });
  const last = versions.length ? versions[versions.length - 1].version : 1;
  let from = versions.length > 1 ? versions[versions.length - 2].version : last;
  let to = last;
  const radio = (group, v, checked) => h('input', { type: 'radio', name: `diff-${group}`, value: v, checked,
    'aria-label': `${group === 'from' ? 'Compare from' : 'Compare to'} version ${v}`,
    onchange: () => { if (group === 'from') from = v; else to = v; } });
  const rows = versions.map((v) => h('tr', {},
    h('td', {}, radio('from', v.version, v.version === from)), h('td', {}, radio('to', v.version, v.version === to)),
    h('th', { scope: 'row' }, `v${v.version}`), h('td', {}, v.state.toLowerCase()),
    h('td', {}, v.author ? v.author.displayName : ''), h('td', {}, fmtDate(v.createdAt)), h('td', {}, v.comment),
    h('td', {}, v.changedFields.join(', ')),
    h('td', {}, canEdit && v.version !== kase.version ? h('button', { type: 'button', class: 'secondary small',
      onclick: async () => {
        try {
          await mutate(REVERT, { id: kase.id, toVersion: v.version, expectedVersion: kase.version }, 'revertCase');
          announce(`Reverted to version ${v.version}`);
          reload();
        } catch (error) { clear(out).append(errorBox(error)); }
      } }, `Revert to v${v.version}`) : '')));
  const compare = h('button', { type: 'button', onclick: async () => {
    clear(out).append(h('p', {}, 'Comparing…'));
    try {
      const data = await gql(CASE_DIFF, { id: kase.id, from, to });
      clear(out).append(diffTable(data.caseDiff, `Version ${from}`, `Version ${to}`));
    } catch (error) { clear(out).append(errorBox(error)); }
  } }, 'Compare selected versions');
  return h('section', { 'aria-labelledby': 'history-h', class: 'card' }, h('h2', { id: 'history-h' }, 'History'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'history' },
      h('thead', {}, h('tr', {}, ['From', 'To', 'Version', 'State', 'Author', 'Saved', 'Comment', 'Changed', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows))), compare, out);
}

export function commentsSection(kase) {
  // Comments come from the audit trail (what was done) and the versions (why they were saved); the
  // same comment recorded by both within a few seconds is shown once, with its action.
  const all = [
    ...(kase.auditTrail || []).filter((a) => a.comment).map((a) => ({ at: a.at, who: a.actor, what: a.action.replace('case.', ''), text: a.comment, audit: true })),
    ...(kase.history || []).filter((v) => v.comment).map((v) => ({ at: v.createdAt, who: v.author ? v.author.displayName : '', what: `version ${v.version}`, text: v.comment })),
  ].sort((a, b) => new Date(a.at) - new Date(b.at) || Number(b.audit || 0) - Number(a.audit || 0));
  const items = [];
  for (const c of all) {
    const twin = items.find((k) => k.text === c.text && Math.abs(new Date(k.at) - new Date(c.at)) < 5000);
    if (!twin) items.push(c);
  }
  return h('section', { 'aria-labelledby': 'comments-h', class: 'card' }, h('h2', { id: 'comments-h' }, 'Comments'),
    items.length ? h('ol', { class: 'comments' }, items.map((c) => h('li', {},
      h('p', { class: 'meta' }, `${c.who} · ${c.what} · ${fmtDate(c.at)}`), h('p', {}, c.text))))
      : h('p', { class: 'muted' }, 'No comments yet. Comments are given when a version is saved or the case moves through review.'));
}
