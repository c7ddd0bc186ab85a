// Retired curriculum codes still on cases: each case with its retired codes and their replacements, and a
// retag that saves a new version (on a validated case, a working copy that goes through review as usual).
import { h, clear, title, errorBox, announce, stateBadge } from './dom.js';
import { gql, mutate } from './gql.js';
import { RETIRED_TAGS, RETAG_RETIRED } from './ops.js';

function replacement(node) {
  if (!node.replacedBy) return h('span', { class: 'muted' }, 'no replacement named: edit the case');
  return h('span', {}, '→ ', h('code', {}, node.replacedBy.code), ` ${node.replacedBy.title}`,
    node.replacedBy.deprecated ? h('span', { class: 'muted' }, ' (retired too: fix the curriculum file)') : null);
}

function row(entry, refresh) {
  const kase = entry.case;
  const out = h('div', { 'aria-live': 'polite' });
  const retag = async (e) => {
    clear(out);
    e.currentTarget.disabled = true;
    try {
      const payload = await mutate(RETAG_RETIRED, { case: kase.id, expectedVersion: kase.version }, 'retagRetiredCurriculum');
      announce(`${kase.title}: retagged, now version ${payload.case.version}`);
      refresh();
    } catch (error) { out.append(errorBox(error)); e.currentTarget.disabled = false; }
  };
  const ready = entry.retired.every((n) => n.replacedBy && !n.replacedBy.deprecated);
  return h('li', { class: 'card retired-item', dataset: { case: kase.id } },
    h('h2', {}, h('a', { href: `/ui/cases/${encodeURIComponent(kase.id)}` }, kase.title || 'Untitled case'), ' ', stateBadge(kase.state)),
    h('ul', { class: 'codes', 'aria-label': 'Retired codes on this case' }, entry.retired.map((n) => h('li', {},
      h('code', {}, n.code), ` ${n.title} `, replacement(n)))),
    entry.awaitingValidation
      ? h('p', { class: 'muted' }, 'Retagged; the validated version keeps the old codes until a validator approves the change.')
      : h('div', { class: 'buttons' }, h('button', { type: 'button', disabled: !ready, onclick: retag }, 'Retag to the replacements')),
    out);
}

export async function render(view) {
  title('Retired curriculum codes');
  const list = h('ol', { class: 'retired-list', 'aria-labelledby': 'retired-h' });
  const summary = h('p', { class: 'summary' });
  async function refresh() {
    const report = (await gql(RETIRED_TAGS)).retiredCurriculumTags;
    const n = report.totalCount;
    summary.textContent = n ? `${n} case${n === 1 ? '' : 's'} still tagged with retired codes.` : 'No case carries a retired code.';
    clear(list).append(...report.entries.map((e) => row(e, () => refresh().catch((err) => list.before(errorBox(err))))));
  }
  view.append(h('h1', { id: 'retired-h' }, 'Retired curriculum codes'),
    h('p', {}, 'A retag is an ordinary edit: a new version, and on a validated case a working copy that trainees do not see until it is validated again.'),
    summary, list);
  await refresh();
}
