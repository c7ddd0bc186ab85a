// The reporting room: one case of an assignment at a time, images and clinical history only; a
// structured report (or, in rapid mode, normal/abnormal against a timer); then the model answer.
import { h, clear, title, errorBox, announce } from './dom.js';
import { gql, mutate, capabilities } from './gql.js';
import { myAssignmentsQuery, BLIND_CASE, SUBMIT_REPORT, START_ASSIGNMENT, ITEM_REPORT, SAVE_REPORT_DRAFT } from './ops.js';
import { images, preloadViewer } from './case_images.js';
import { longForm, rapidForm, answerPanel } from './report_form.js';

const ANSWER = `query ModelAnswer($id: ID!) { node(id: $id) { ... on Case { diagnosis findings teachingPoints } } }`;
const SHORTCUTS = [['N', 'Normal'], ['A', 'Abnormal (then type the abnormality)'], ['Ctrl+Enter', 'Submit the report'],
  ['J', 'Next case'], ['K', 'Previous case'], ['?', 'Show or hide these shortcuts']];

// The clock is the server's: startAssignment starts it once and says when the time is up; the page only
// counts down to that deadline. A server without it falls back to a count kept in this tab.
async function startClock(caps, assignment) {
  if (caps.mutation.has('startAssignment')) {
    const { assignment: a } = await mutate(START_ASSIGNMENT, { assignment: assignment.id }, 'startAssignment');
    return { start: Date.parse(a.startedAt), deadline: a.deadline ? Date.parse(a.deadline) : null, refuses: a.lateAnswers === 'REFUSE' };
  }
  const key = `lightbox.rapidStart.${assignment.id}`;
  const start = Number(sessionStorage.getItem(key)) || Date.now();
  sessionStorage.setItem(key, String(start));
  const limit = assignment.worklist.timeLimitMinutes;
  return { start, deadline: limit ? start + limit * 60_000 : null, refuses: false };
}

function clock({ start, deadline, refuses }) {
  const out = h('p', { class: 'timer', role: 'timer', 'aria-label': 'Time in this reporting session' });
  const mmss = (s) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const tick = () => {
    if (!deadline) { out.textContent = mmss(Math.floor((Date.now() - start) / 1000)); return; }
    const left = Math.floor((deadline - Date.now()) / 1000);
    out.textContent = left > 0 ? `${mmss(left)} left` : (refuses ? 'Time is up: answers are no longer accepted' : 'Time is up: answers are marked late');
    out.classList.toggle('warn', left <= 60);
  };
  tick();
  const timer = window.setInterval(tick, 1000);
  return { element: out, stop: () => window.clearInterval(timer) };
}

export async function render(view, { params, query, navigate }) {
  title('Reporting room');
  const caps = await capabilities();
  if (!caps.mutation.has('submitReport')) {
    view.append(h('h1', {}, 'Reporting room'), h('p', { class: 'notice' }, 'This server does not offer reporting yet.'));
    return null;
  }
  const assignment = (await gql(myAssignmentsQuery(caps))).myAssignments.find((a) => a.id === params.assignment);
  if (!assignment) { view.append(h('h1', {}, 'Assignment not found')); return null; }
  const items = [...assignment.items].sort((a, b) => a.position - b.position);
  const rapid = query.get('mode') === 'rapid' || (assignment.worklist.mode === 'RAPID_REPORTING' && query.get('mode') !== 'long');
  const wanted = Number(query.get('item'));
  const item = items.find((i) => i.position === wanted) || items.find((i) => !i.reported) || items[0];
  const index = items.indexOf(item);
  const url = (i) => `/ui/reporting/${encodeURIComponent(assignment.id)}?item=${items[i].position}${rapid ? '&mode=rapid' : ''}`;
  const go = (i) => { if (i >= 0 && i < items.length) navigate(url(i)); };
  preloadViewer()?.catch(() => {});  // overlaps the queries; images() falls back if it fails
  const kase = (await gql(BLIND_CASE, { id: item.case.id })).node;
  // The trainee's own marks (kept with the draft) and, once reported, the model answer's.
  const marksOn = caps.mutation.has('saveReportDraft') && item.report !== undefined;
  const itemReport = marksOn && item.report ? (await gql(ITEM_REPORT, { id: item.report.id })).node : null;
  const viewers = [];
  const cleanups = [() => viewers.forEach((v) => v.destroy())];
  let dicom = null;
  let saveTimer = null;
  const saveMarks = (marks) => {
    // Each change of one's marks is kept with the draft (a second later, so a drag is one save).
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => {
      mutate(SAVE_REPORT_DRAFT, { input: { assignment: assignment.id, case: item.case.id, annotations: marks } }, 'saveReportDraft')
        .then(() => announce('Your marks are saved with your draft'), (error) => console.warn('marks not saved', error));
    }, 1000);
  };
  cleanups.push(() => window.clearTimeout(saveTimer));
  const viewerOptions = {
    annotations: itemReport ? itemReport.annotations : [],
    editable: !item.reported,
    readOnlyAnnotations: itemReport && itemReport.modelAnswer ? itemReport.modelAnswer.annotations : [],
    onChange: marksOn && !item.reported ? saveMarks : null,
    reservedKeys: rapid ? ['n', 'a', 'j', 'k', '?'] : [],
    onReady: (api) => { dicom = api; },
  };

  const nav = h('nav', { 'aria-label': 'Cases of this worklist' }, h('ol', { class: 'item-nav' }, items.map((it, i) => h('li', {},
    h('a', { href: url(i), 'aria-current': i === index ? 'step' : false }, `Case ${it.position}`, it.reported ? h('span', { class: 'done' }, ' ✓', h('span', { class: 'visually-hidden' }, ' reported')) : '')))));
  const fixedMode = Boolean(assignment.worklist.mode);  // the worklist says which form its reports take
  const modeLink = fixedMode ? null : h('a', { class: 'button secondary', href: `/ui/reporting/${encodeURIComponent(assignment.id)}?item=${item.position}${rapid ? '' : '&mode=rapid'}` },
    rapid ? 'Leave rapid-reporting mode' : 'Rapid-reporting mode');
  const head = h('header', { class: 'room-head' }, h('h1', {}, `${assignment.worklist.title}: case ${index + 1} of ${items.length}`), nav);
  if (modeLink) head.append(modeLink);
  const side = h('div', { class: 'room-side' });
  const history = h('section', { class: 'card', 'aria-labelledby': 'hist-h' }, h('h2', { id: 'hist-h' }, 'Clinical history'),
    h('p', { class: 'clinical-history' }, kase.clinicalHistory || 'No clinical history given.'),
    h('p', { class: 'meta' }, [kase.patientAgeBand, kase.patientSex, kase.modalities.join(', ')].filter(Boolean).join(' · ')));
  side.append(history);
  const out = h('div', { 'aria-live': 'polite', class: 'answer-out' });
  let form = null;

  if (item.reported) {
    const answer = (await gql(ANSWER, { id: item.case.id })).node;
    out.append(h('p', { class: 'success' }, 'You have reported this case.'), answerPanel({ modelAnswer: answer }, null));
  } else {
    form = rapid ? rapidForm() : longForm();
    const submit = h('button', { type: 'submit' }, 'Submit report');
    const problems = h('div', {});
    const formEl = h('form', { class: 'card report-form', 'aria-labelledby': 'report-h', onsubmit: async (e) => {
      e.preventDefault();
      clear(problems);
      submit.disabled = true;
      const values = form.values();
      if (dicom && marksOn) { window.clearTimeout(saveTimer); values.annotations = dicom.annotations(); }
      try {
        const payload = await mutate(SUBMIT_REPORT, { input: { assignment: assignment.id, case: item.case.id, ...values } }, 'submitReport');
        formEl.remove();
        if (dicom && payload.report.modelAnswer && payload.report.modelAnswer.annotations) dicom.showAnnotations(payload.report.modelAnswer.annotations, { locked: true });
        out.append(h('p', { class: 'success', role: 'status' }, 'Report submitted. The model answer is now open.'),
          answerPanel(payload.report, values),
          index + 1 < items.length ? h('p', {}, h('a', { class: 'button', href: url(index + 1) }, 'Next case')) : h('p', {}, h('a', { class: 'button', href: '/ui/reporting' }, 'Back to my assignments')));
        out.querySelector('.success').setAttribute('tabindex', '-1');
        out.querySelector('.success').focus();
        announce('Report submitted; model answer shown');
      } catch (error) { problems.append(errorBox(error)); submit.disabled = false; }
    } }, h('h2', { id: 'report-h' }, rapid ? 'Your answer' : 'Your report'), form.element, problems, h('div', { class: 'buttons' }, submit));
    side.append(formEl);
  }
  side.append(out);

  const timed = Boolean(assignment.worklist.timeLimitMinutes);
  if (rapid || timed) {
    const c = clock(await startClock(caps, assignment));
    cleanups.push(c.stop);
    head.append(c.element);
  }
  if (rapid) {
    const help = h('dl', { class: 'shortcuts', id: 'shortcuts' }, SHORTCUTS.map(([k, d]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, d)]));
    head.append(h('details', { open: true }, h('summary', {}, 'Keyboard shortcuts'), help));
    const onKey = (e) => {
      const typing = e.target.closest('input[type=text], input:not([type]), textarea');
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { const f = side.querySelector('form'); if (f) { e.preventDefault(); f.requestSubmit(); } return; }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k === 'n' && form && form.setNormal) { e.preventDefault(); form.setNormal(); announce('Normal'); }
      else if (k === 'a' && form && form.setAbnormal) { e.preventDefault(); form.setAbnormal(); }
      else if (k === 'j') { e.preventDefault(); go(index + 1); }
      else if (k === 'k') { e.preventDefault(); go(index - 1); }
      else if (e.key === '?') { e.preventDefault(); const d = head.querySelector('details'); d.open = !d.open; }
    };
    document.addEventListener('keydown', onKey);
    cleanups.push(() => document.removeEventListener('keydown', onKey));
  }
  view.append(head, h('div', { class: 'room' }, h('div', { class: 'room-images' }, images(kase, viewers, viewerOptions)), side));
  return () => cleanups.forEach((fn) => fn());
}
