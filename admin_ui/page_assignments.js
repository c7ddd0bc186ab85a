// The reporting room's door: a trainee's assignments, with how far each has gone.
import { h, title, fmtDate } from './dom.js';
import { gql, capabilities } from './gql.js';
import { myAssignmentsQuery } from './ops.js';

export async function render(view) {
  title('Reporting room');
  const caps = await capabilities();
  view.append(h('h1', {}, 'Reporting room'));
  if (!caps.query.has('myAssignments')) {
    view.append(h('p', { class: 'notice' }, 'This server does not offer assignments yet (the myAssignments query is missing from its API).'));
    return;
  }
  const data = await gql(myAssignmentsQuery(caps));
  const list = data.myAssignments;
  if (!list.length) { view.append(h('p', {}, 'You have no assignments. Your trainer will assign worklists to you.')); return; }
  view.append(h('p', { class: 'lead' }, 'Each case shows its images and clinical history only; the model answer opens when you submit your report.'),
    h('ul', { class: 'assignments' }, list.map((a) => {
      const done = a.completedCount >= a.totalCount;
      const href = `/ui/reporting/${encodeURIComponent(a.id)}`;
      return h('li', { class: 'card assignment' },
        h('h2', {}, h('a', { href }, a.worklist.title)),
        h('p', { class: 'meta' }, `${a.completedCount} of ${a.totalCount} reported`, a.dueAt ? ` · due ${fmtDate(a.dueAt)}` : '',
          a.worklist.mode ? ` · ${a.worklist.mode === 'RAPID_REPORTING' ? 'rapid reporting' : 'long cases'}` : '',
          a.worklist.timeLimitMinutes ? ` · ${a.worklist.timeLimitMinutes} minutes` : ''),
        h('progress', { max: a.totalCount, value: a.completedCount, 'aria-label': `${a.worklist.title}: ${a.completedCount} of ${a.totalCount} reported` }),
        h('p', { class: 'buttons' }, h('a', { class: 'button', href }, done ? 'Review my reports' : 'Start reporting'),
          done || (a.worklist.mode && a.worklist.mode !== 'RAPID_REPORTING') ? null
            : h('a', { class: 'button secondary', href: `${href}?mode=rapid` }, 'Rapid-reporting mode')));
    })));
}
