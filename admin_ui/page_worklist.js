// One worklist: its cases in order (reorder and save), assignments with progress, marking reports.
import { h, clear, title, errorBox, announce, fmtDate, field, stateBadge } from './dom.js';
import { gql, mutate } from './gql.js';
import { ME, CASE_IMAGES, ITEM_REPORT } from './ops.js';
import { assignForm } from './page_worklists.js';
import { images } from './case_images.js';

const viewers = [];
/** The case's images with the trainee's marks (cyan) beside the model answer's (amber). */
function marksButton(item) {
  const stage = h('div', { class: 'marks-stage' });
  const button = h('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false', onclick: async () => {
    viewers.forEach((v) => v.destroy());
    viewers.length = 0;
    document.querySelectorAll('.marks-stage').forEach((s) => clear(s));
    document.querySelectorAll('.marks-toggle').forEach((b) => b.setAttribute('aria-expanded', 'false'));
    try {
      const [kase, report] = await Promise.all([gql(CASE_IMAGES, { id: item.case.id }), gql(ITEM_REPORT, { id: item.report.id })]);
      const answer = report.node.modelAnswer ? report.node.modelAnswer.annotations : [];
      stage.append(h('p', { class: 'meta' }, `The trainee's marks (${report.node.annotations.length}) in cyan; the model answer's (${answer.length}) in amber.`),
        images(kase.node, viewers, { readOnlyAnnotations: answer, otherAnnotations: report.node.annotations }));
      button.setAttribute('aria-expanded', 'true');
    } catch (error) { stage.append(errorBox(error)); }
  } }, 'Images and marks');
  button.classList.add('marks-toggle');
  return [button, stage];
}

const WORKLIST = `query Worklist($id: ID!) { worklist(id: $id) {
  id title mode version caseCount timeLimitMinutes instructions
  cases { position metElsewhereCount case { id title state } }
  assignments { id dueAt completedCount totalCount trainee { id displayName }
    items { position reported case { id title } report { id status submittedAt principalDiagnosis observations abnormal autoCorrect score feedback } } }
} }`;
const REORDER = `mutation ReorderWorklist($input: ReorderWorklistInput!) {
  reorderWorklist(input: $input) { worklist { id version } errors { field message code } } }`;
const FEEDBACK = `mutation GiveFeedback($input: FeedbackInput!) {
  giveFeedback(input: $input) { report { id score feedback } errors { field message code } } }`;

function orderSection(w, reload) {
  let order = w.cases.map((c) => c.case).filter(Boolean);
  const list = h('ol', { class: 'worklist-items', 'aria-label': 'Cases in order' });
  const out = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'button', disabled: true }, 'Save order');
  function redraw(focus) {
    clear(list);
    order.forEach((c, i) => {
      const move = (d, action) => () => { const [m] = order.splice(i, 1); order.splice(i + d, 0, m); save.disabled = false; redraw(`${c.id}|${action}`); announce(`${c.title} moved to position ${i + d + 1}`); };
      list.append(h('li', { dataset: { id: c.id } }, h('span', { class: 'item-title' }, c.title || 'Untitled'), stateBadge(c.state),
        h('span', { class: 'buttons' },
          h('button', { type: 'button', class: 'secondary small', dataset: { action: 'up' }, disabled: i === 0, 'aria-label': `Move ${c.title} up`, onclick: move(-1, 'up') }, '↑'),
          h('button', { type: 'button', class: 'secondary small', dataset: { action: 'down' }, disabled: i === order.length - 1, 'aria-label': `Move ${c.title} down`, onclick: move(1, 'down') }, '↓'))));
    });
    if (focus) {
      const [id, action] = focus.split('|');
      const b = list.querySelector(`li[data-id="${CSS.escape(id)}"] button[data-action="${action}"]`);
      (b && !b.disabled ? b : list.querySelector(`li[data-id="${CSS.escape(id)}"] button:not([disabled])`)).focus();
    }
  }
  save.addEventListener('click', async () => {
    clear(out);
    try {
      await mutate(REORDER, { input: { id: w.id, expectedVersion: w.version, cases: order.map((c) => c.id) } }, 'reorderWorklist');
      announce('Order saved');
      reload();
    } catch (error) { out.append(errorBox(error)); }
  });
  redraw();
  return h('section', { class: 'card', 'aria-labelledby': 'order-h' }, h('h2', { id: 'order-h' }, 'Cases in order'),
    h('p', { class: 'meta' }, 'Trainees who already hold the worklist keep the order they were given.'), list, save, out);
}

function markForm(report, reload) {
  const score = h('select', { name: 'score' }, [1, 2, 3, 4, 5, 6, 7, 8].map((n) => h('option', { value: n, selected: n === 5 }, String(n))));
  const text = h('textarea', { name: 'feedback', rows: 2 });
  const out = h('div', {});
  return h('form', { class: 'mark-form', onsubmit: async (e) => {
    e.preventDefault();
    clear(out);
    try {
      await mutate(FEEDBACK, { input: { report: report.id, score: Number(score.value), feedback: text.value.trim() } }, 'giveFeedback');
      announce('Feedback saved');
      reload();
    } catch (error) { out.append(errorBox(error)); }
  } }, field('Score (1 to 8)', score), field('Feedback', text), h('button', { type: 'submit' }, 'Save mark'), out);
}

function assignmentsSection(w, reload) {
  if (!w.assignments.length) return h('section', { class: 'card' }, h('h2', {}, 'Assignments'), h('p', {}, 'Not assigned yet.'));
  return h('section', { class: 'card', 'aria-labelledby': 'assignments-h' }, h('h2', { id: 'assignments-h' }, 'Assignments and reports'),
    w.assignments.map((a) => h('details', { class: 'assignment-detail', open: a.completedCount > 0 },
      h('summary', {}, `${a.trainee ? a.trainee.displayName : 'Trainee'}: ${a.completedCount} of ${a.totalCount} reported${a.dueAt ? `, due ${fmtDate(a.dueAt)}` : ''}`),
      h('ul', { class: 'plain-list' }, a.items.filter((i) => i.report && i.report.status !== 'DRAFT').map((i) => {
        const [marks, stage] = i.case ? marksButton(i) : [null, null];
        return h('li', { class: 'report-row' },
          h('p', {}, h('strong', {}, `${i.position}. ${i.case ? i.case.title : 'Case'}`), ` · submitted ${fmtDate(i.report.submittedAt)} `, marks),
          h('p', {}, w.mode === 'RAPID_REPORTING'
            ? `${i.report.abnormal ? 'Abnormal' : 'Normal'}${i.report.principalDiagnosis ? `: ${i.report.principalDiagnosis}` : ''} — ${i.report.autoCorrect ? 'correct' : 'incorrect'}`
            : `${i.report.principalDiagnosis || ''}${i.report.observations ? ` — ${i.report.observations}` : ''}`),
          w.mode === 'RAPID_REPORTING' ? null : i.report.score
            ? h('p', { class: 'success' }, `Marked ${i.report.score}/8${i.report.feedback ? `: ${i.report.feedback}` : ''}`)
            : markForm(i.report, reload),
          stage);
      })))));
}

export async function render(view, { params, navigate }) {
  const [data, me] = await Promise.all([gql(WORKLIST, { id: params.id }), gql(ME)]);
  const w = data.worklist;
  title(w.title);
  const reload = () => navigate(location.pathname, { replace: true });
  view.append(h('h1', {}, w.title),
    h('p', { class: 'meta' }, `${w.mode === 'RAPID_REPORTING' ? 'Rapid reporting' : 'Long cases'} · ${w.caseCount} case${w.caseCount === 1 ? "" : "s"} · version ${w.version}`,
      w.timeLimitMinutes ? ` · ${w.timeLimitMinutes} minutes` : ''),
    w.instructions ? h('p', {}, w.instructions) : '',
    h('div', { class: 'two-col' }, orderSection(w, reload), assignForm(w, me.me.cohorts, { heading: 'Assign to a cohort' })),
    assignmentsSection(w, reload));
  return () => { viewers.forEach((v) => v.destroy()); viewers.length = 0; };
}
