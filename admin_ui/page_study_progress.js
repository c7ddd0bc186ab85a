// Self-study progress: due cards, cards learnt and retention per curriculum system (a chart and a table);
// the share switch; for trainers, each cohort's counts and only the answers their trainees share.
import { h, title, errorBox, fmtDate, announce } from './dom.js';
import { gql, mutate, capabilities } from './gql.js';
import { bars } from './charts.js';
import { isTrainer } from './auth.js';
import { ME } from './ops.js';
import { MY_PROGRESS, COHORT_PROGRESS, SET_SHARING } from './study_ops.js';

const pct = (r) => (r === null || r === undefined ? '–' : `${Math.round(r * 100)}%`);

/** Retention per system: recalled of rated, one bar per depth-1 node (charts.bars). */
function retentionChart(p, label) {
  const systems = p.nodes.filter((n) => n.depth === 1 && n.reviewCount > 0);
  if (!systems.length) return h('p', { class: 'muted' }, 'No ratings yet: the chart fills in as cards are rated.');
  return h('figure', { class: 'study-chart' },
    bars(systems.map((n) => ({ label: n.title, done: n.recalledCount, total: n.reviewCount })), { label }),
    h('figcaption', {}, 'Bars: ratings that recalled the case (hard, good or easy) of all ratings, per curriculum system.'));
}

function figures(p, who) {
  return h('dl', { class: 'fields study-figures' },
    h('dt', {}, 'Due now'), h('dd', { id: `${who}-due` }, String(p.dueCount)),
    h('dt', {}, 'Cards learnt'), h('dd', { id: `${who}-learned` }, `${p.learnedCount} of ${p.cardCount} studied`),
    h('dt', {}, 'Ratings'), h('dd', {}, String(p.reviewCount)),
    h('dt', {}, 'Retention'), h('dd', { id: `${who}-retention` }, pct(p.retention)));
}

function table(p, caption) {
  return h('details', {}, h('summary', {}, `${caption} as a table`), h('table', {},
    h('thead', {}, h('tr', {}, ['Code', 'Topic', 'Cards', 'Due', 'Learnt', 'Ratings', 'Retention'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, p.nodes.map((n) => h('tr', {}, h('td', {}, h('code', {}, n.code)), h('td', {}, n.title), h('td', {}, String(n.cardCount)),
      h('td', {}, String(n.dueCount)), h('td', {}, String(n.learnedCount)), h('td', {}, String(n.reviewCount)), h('td', {}, pct(n.retention)))))));
}

function sharing(p) {
  const box = h('input', { type: 'checkbox', id: 'share-answers', checked: p.sharesAnswers });
  const out = h('div', {});
  box.addEventListener('change', async () => {
    out.replaceChildren();
    try {
      const payload = await mutate(SET_SHARING, { share: box.checked }, 'setStudySharing');
      announce(payload.sharesAnswers ? 'Your answers are shared with your trainers' : 'Your answers are private');
    } catch (error) { box.checked = !box.checked; out.append(errorBox(error)); }
  });
  return h('div', { class: 'field' }, h('label', { for: box.id, class: 'checkbox' }, box, ' Share my self-study answers with my cohorts\' trainers'),
    h('p', { class: 'hint' }, 'Off: trainers see counts and retention of the cohort only, never your answers.'), out);
}

async function cohorts() {
  const out = [];
  for (const cohort of (await gql(ME)).me.cohorts) {
    let data;
    try { data = (await gql(COHORT_PROGRESS, { cohort: cohort.id })).cohortStudyProgress; } catch (error) { continue; }  // not this trainer's cohort
    const p = data.total;
    out.push(h('section', { class: 'card', 'aria-labelledby': `sc-${cohort.id}` },
      h('h2', { id: `sc-${cohort.id}` }, `Cohort ${cohort.title}: self-study of ${p.traineeCount} trainee${p.traineeCount === 1 ? '' : 's'}`),
      figures(p, 'cohort'), retentionChart(p, `Retention per curriculum system in ${cohort.title}`), table(p, 'Per topic'),
      h('h3', {}, 'Shared answers'),
      data.sharedAnswers.length ? h('ul', { class: 'plain-list shared-answers' }, data.sharedAnswers.map((a) => h('li', {},
        h('strong', {}, a.trainee.displayName), ` on ${a.case ? a.case.title : 'a case'} (${a.rating.toLowerCase()}, ${fmtDate(a.reviewedAt)}): `, a.answer)))
        : h('p', { class: 'muted' }, 'No trainee of this cohort shares their answers.')));
  }
  return out;
}

export async function render(view) {
  title('Self-study progress');
  const caps = await capabilities();
  view.append(h('h1', {}, 'Self-study progress'), h('p', {}, h('a', { href: '/ui/study' }, 'Back to self-study')));
  if (!caps.query.has('studyProgress')) {
    view.append(h('p', { class: 'notice' }, 'This server does not offer self-study yet.'));
    return;
  }
  try {
    const p = (await gql(MY_PROGRESS)).studyProgress;
    view.append(h('section', { class: 'card', 'aria-labelledby': 'mine-h' }, h('h2', { id: 'mine-h' }, 'My self-study'),
      figures(p, 'mine'), retentionChart(p, 'My retention per curriculum system'), table(p, 'Per topic'), sharing(p)));
  } catch (error) { view.append(errorBox(error)); }
  if (isTrainer() && caps.query.has('cohortStudyProgress')) {
    try { (await cohorts()).forEach((section) => view.append(section)); } catch (error) { view.append(errorBox(error)); }
  }
}
