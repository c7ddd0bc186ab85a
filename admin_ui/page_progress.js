// Progress: a trainee's completion, scores and curriculum coverage; the archive's coverage and gaps.
import { h, title, errorBox } from './dom.js';
import { gql, capabilities } from './gql.js';
import { PROGRESS } from './ops.js';
import { ring, heatMap, legend, bars } from './charts.js';
import { isTrainee, isTrainer } from './auth.js';
import { ME } from './ops.js';

const COHORT = `query CohortProgress($cohort: ID!) { cohortProgress(cohort: $cohort) {
  total { assignedCount reportedCount meanScore }
  trainees { trainee { id displayName } assignedCount reportedCount meanScore } } }`;

/** A trainer's cohorts: completion and mean score per trainee (needs the server's cohortProgress). */
async function cohorts() {
  const mine = (await gql(ME)).me.cohorts;
  const out = [];
  for (const cohort of mine) {
    const data = (await gql(COHORT, { cohort: cohort.id })).cohortProgress;
    const rows = data.trainees.map((t) => ({ label: t.trainee ? t.trainee.displayName : '?', done: t.reportedCount, total: t.assignedCount, score: t.meanScore }));
    out.push(h('section', { class: 'card', 'aria-labelledby': `cohort-${cohort.id}` },
      h('h2', { id: `cohort-${cohort.id}` }, `Cohort ${cohort.title}: ${data.total.reportedCount} of ${data.total.assignedCount} reported`),
      rows.length ? bars(rows, { label: `Reports submitted per trainee of ${cohort.title}` }) : h('p', {}, 'No assignments yet.'),
      h('ul', { class: 'plain-list' }, data.trainees.filter((t) => t.trainee).map((t) => h('li', {},
        h('a', { href: `/ui/progress?trainee=${encodeURIComponent(t.trainee.id)}` }, `${t.trainee.displayName}: details`))))));
  }
  return out;
}

const TREE = `query CurriculumFlags { curriculum { code title depth parentCode core acute validatedCaseCount } }`;

function asTable(rows, caption) {
  return h('details', {}, h('summary', {}, `${caption} as a table`), h('table', {},
    h('thead', {}, h('tr', {}, ['Code', 'Topic', 'Reported', 'Validated cases'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, h('code', {}, r.code)), h('td', {}, r.title),
      h('td', {}, r.reportedCount === undefined ? '–' : String(r.reportedCount)), h('td', {}, String(r.validatedCaseCount)))))));
}

function trainee(p, tree) {
  const byCode = new Map(p.coverage.map((c) => [c.code, c]));
  const nodes = tree.map((n) => ({ ...n, ...(byCode.get(n.code) || { reportedCount: 0 }) }));
  const untouched = nodes.filter((n) => n.depth >= 2 && n.validatedCaseCount > 0 && !n.reportedCount);
  return h('section', { class: 'card', 'aria-labelledby': 'mine-h' },
    h('h2', { id: 'mine-h' }, `Progress of ${p.trainee ? p.trainee.displayName : 'you'}`),
    h('div', { class: 'stats' }, ring(p.reportedCount, p.assignedCount, 'Cases reported'),
      h('dl', { class: 'fields' }, h('dt', {}, 'Reported'), h('dd', { id: 'reported-count' }, `${p.reportedCount} of ${p.assignedCount} assigned`),
        h('dt', {}, 'Mean score'), h('dd', {}, p.meanScore === null || p.meanScore === undefined ? 'Not marked yet' : `${Number(p.meanScore).toFixed(1)} / 8`))),
    h('h3', {}, 'Curriculum coverage'),
    heatMap(nodes, { label: 'Curriculum coverage: share of each topic\'s validated cases you have reported',
      share: (n) => (n.validatedCaseCount ? Math.min(1, (n.reportedCount || 0) / n.validatedCaseCount) : null),
      detail: (n) => `${n.reportedCount || 0} reported of ${n.validatedCaseCount} validated` }), legend(),
    asTable(nodes.filter((n) => n.depth >= 2), 'Coverage'),
    h('h3', {}, 'Topics you have not reported yet'),
    untouched.length ? h('ul', { class: 'gap-list' }, untouched.slice(0, 30).map((n) => h('li', {}, h('code', {}, n.code), ` ${n.title}`)))
      : h('p', {}, 'None: you have reported a case of every topic the archive covers.'));
}

function archive(tree) {
  const max = Math.max(1, ...tree.map((n) => n.validatedCaseCount));
  const gaps = tree.filter((n) => n.depth >= 3 && n.validatedCaseCount === 0)
    .sort((a, b) => Number(b.core || b.acute) - Number(a.core || a.acute) || a.code.localeCompare(b.code));
  return h('section', { class: 'card', 'aria-labelledby': 'archive-h' },
    h('h2', { id: 'archive-h' }, 'Archive coverage'),
    heatMap(tree, { label: 'Validated cases in the archive per curriculum topic',
      share: (n) => (n.validatedCaseCount ? n.validatedCaseCount / max : null), detail: (n) => `${n.validatedCaseCount} validated cases` }), legend(),
    h('h3', { id: 'gaps-h' }, `Gap list: ${gaps.length} condition${gaps.length === 1 ? '' : 's'} without a validated case`),
    gaps.length ? null : h('p', {}, 'Every condition of the curriculum has at least one validated case.'),
    h('ul', { class: 'gap-list', 'aria-labelledby': 'gaps-h' }, gaps.slice(0, 60).map((n) => h('li', {}, h('code', {}, n.code), ` ${n.title}`,
      n.core ? h('span', { class: 'badge flag' }, 'core') : null, n.acute ? h('span', { class: 'badge flag acute' }, 'must not miss') : null))),
    gaps.length > 60 ? h('p', { class: 'muted' }, `…and ${gaps.length - 60} more.`) : null);
}

export async function render(view, { query }) {
  title('Progress');
  const [caps, treeData] = await Promise.all([capabilities(), gql(TREE)]);
  const tree = treeData.curriculum;
  view.append(h('h1', {}, 'Progress and coverage'));
  if (caps.query.has('progress')) {
    try {
      const p = (await gql(PROGRESS, { traineeId: query.get('trainee') || null })).progress;
      if (p && (p.assignedCount || query.get('trainee') || isTrainee())) view.append(trainee(p, tree));
    } catch (error) { view.append(errorBox(error)); }
  } else {
    view.append(h('p', { class: 'notice' }, 'This server does not report trainee progress yet (the progress query is missing from its API).'));
  }
  if (isTrainer() && caps.query.has('cohortProgress') && !query.get('trainee')) {
    try { (await cohorts()).forEach((section) => view.append(section)); } catch (error) { view.append(errorBox(error)); }
  }
  view.append(archive(tree));
}
