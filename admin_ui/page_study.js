// Self-study: pick a curriculum topic (or "my gaps"), answer a case before its model answer opens, rate
// recall; the server's scheduler (FSRS) says when the case comes back. /ui/study?node=<code>|gaps
import { h, clear, title, errorBox, announce, field, fmtDate, nextId } from './dom.js';
import { gql, mutate, capabilities } from './gql.js';
import { images } from './case_images.js';
import { STUDY_QUEUE, REVEAL, RATE, TOPICS } from './study_ops.js';

export const GAPS = 'gaps';
const RATINGS = [['AGAIN', 'Again', 'Forgot it'], ['HARD', 'Hard', 'Recalled with effort'], ['GOOD', 'Good', 'Recalled'], ['EASY', 'Easy', 'Knew it at once']];

function topicLabel(topic, tree) {
  if (topic === GAPS) return 'My gaps';
  const node = tree.find((n) => n.code === topic);
  return node ? `${node.title} (${node.code})` : topic;
}

function topicPicker(tree, current, navigate) {
  const select = h('select', { name: 'node' },
    h('option', { value: GAPS, selected: current === GAPS }, 'My gaps: topics my reports and self-study have not covered'),
    tree.filter((n) => n.validatedCaseCount > 0).map((n) => h('option', { value: n.code, selected: n.code === current },
      `${'\u2003'.repeat(n.depth - 1)}${n.title} (${n.validatedCaseCount})`)));
  return h('form', { class: 'card study-topic', role: 'search', 'aria-label': 'Choose a topic', onsubmit: (e) => {
    e.preventDefault();
    navigate(`/ui/study?node=${encodeURIComponent(select.value)}`);
  } }, field('Topic', select, 'A curriculum topic (with its subtopics), or your gaps.'), h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Study this topic')));
}

function when(iso) {
  if (!iso) return '';
  const minutes = Math.round((Date.parse(iso) - Date.now()) / 60000);
  const span = minutes < 60 ? `${Math.max(1, minutes)} minute${minutes === 1 ? '' : 's'}` : minutes < 60 * 36
    ? `${Math.round(minutes / 60)} hours` : `${Math.round(minutes / 1440)} days`;
  return `${fmtDate(iso)} (in about ${span})`;
}

function modelAnswer(answer) {
  const rows = [['Diagnosis', answer.diagnosis], ['Findings', answer.findings],
    ['Differential diagnoses', (answer.differentialDiagnoses || []).join('; ')], ['Discussion', answer.discussion],
    ['Teaching points', answer.teachingPoints]];
  if (answer.abnormal !== null && answer.abnormal !== undefined) rows.unshift(['Normal or abnormal', answer.abnormal ? 'Abnormal' : 'Normal']);
  const yours = [['Your answer', answer.yourAnswer]];
  if (answer.yourAbnormal !== null && answer.yourAbnormal !== undefined) yours.push(['Your call', answer.yourAbnormal ? 'Abnormal' : 'Normal']);
  const dl = (pairs) => h('dl', { class: 'fields' }, pairs.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));
  const keys = answer.keyImages || [];
  return h('div', { class: 'answer-grid' },
    h('section', { class: 'card', 'aria-labelledby': 'yours-h' }, h('h3', { id: 'yours-h' }, 'Your answer'), dl(yours)),
    h('section', { class: 'card model-answer', 'aria-labelledby': 'model-h' }, h('h3', { id: 'model-h' }, answer.title ? `Model answer: ${answer.title}` : 'Model answer'),
      dl(rows),
      keys.length ? h('div', {}, h('h4', {}, "The author's key images"), h('ul', { class: 'series-strip', 'aria-label': 'Key images' },
        keys.map((k) => h('li', {}, h('img', { src: k.renderedUrl, alt: `Key image ${k.instanceNumber || ''}`.trim(), width: 96, height: 96 }))))) : null));
}

function answerForm(card, onRevealed) {
  const text = h('textarea', { name: 'answer', rows: 4, required: true });
  const name = nextId('normality');
  const normal = h('input', { type: 'radio', name, value: 'normal', id: `${name}-n` });
  const abnormal = h('input', { type: 'radio', name, value: 'abnormal', id: `${name}-a` });
  const problems = h('div', {});
  const button = h('button', { type: 'submit' }, 'Reveal the answer');
  const form = h('form', { class: 'card report-form', 'aria-labelledby': 'answer-h', onsubmit: async (e) => {
    e.preventDefault();
    clear(problems);
    button.disabled = true;
    const call = card.plainFilm ? (abnormal.checked ? true : normal.checked ? false : null) : null;
    try {
      const payload = await mutate(REVEAL, { case: card.case.id, answer: text.value, abnormal: call }, 'revealStudyCase');
      form.remove();
      onRevealed(payload.modelAnswer);
    } catch (error) { problems.append(errorBox(error)); button.disabled = false; }
  } }, h('h2', { id: 'answer-h' }, 'Your answer'),
  h('p', { class: 'hint' }, 'Commit your answer first: the model answer and the author\'s annotations open once you have.'),
  card.plainFilm ? h('fieldset', { class: 'choice' }, h('legend', {}, 'Normal or abnormal?'),
    h('label', { for: normal.id, class: 'radio' }, normal, 'Normal'), h('label', { for: abnormal.id, class: 'radio' }, abnormal, 'Abnormal')) : null,
  field('Answer', text, 'Findings and diagnosis, in your own words.'), problems, h('div', { class: 'buttons' }, button));
  return form;
}

function rating(card, out, again) {
  const problems = h('div', {});
  const buttons = RATINGS.map(([value, label, hint]) => h('button', { type: 'button', class: value === 'AGAIN' ? 'secondary' : '', title: hint,
    onclick: async () => {
      clear(problems);
      buttons.forEach((b) => { b.disabled = true; });
      try {
        const payload = await mutate(RATE, { case: card.case.id, rating: value }, 'rateStudyCard');
        section.remove();
        const status = h('p', { class: 'success study-due', role: 'status', tabindex: '-1' }, `Rated ${label.toLowerCase()}. Due again ${when(payload.card.due)}.`);
        out.append(status, h('p', {}, h('button', { type: 'button', onclick: again }, 'Next card')));
        status.focus();
        announce(`Rated ${label}`);
      } catch (error) { problems.append(errorBox(error)); buttons.forEach((b) => { b.disabled = false; }); }
    } }, label));
  const section = h('section', { class: 'card', 'aria-labelledby': 'rate-h' }, h('h2', { id: 'rate-h' }, 'How well did you recall it?'),
    h('div', { class: 'buttons rating' }, buttons), h('p', { class: 'hint' }, 'Keys 1 to 4 rate too: again, hard, good, easy.'), problems);
  return section;
}

export async function render(view, { query, navigate }) {
  title('Self-study');
  const caps = await capabilities();
  view.append(h('h1', {}, 'Self-study'));
  if (!caps.query.has('studyQueue')) {
    view.append(h('p', { class: 'notice' }, 'This server does not offer self-study yet.'));
    return null;
  }
  const tree = (await gql(TOPICS)).curriculum;
  const topic = query.get('node') || GAPS;
  view.append(topicPicker(tree, topic, navigate), h('p', {}, h('a', { href: '/ui/study/progress' }, 'My self-study progress')));
  const viewers = [];
  const stage = h('div', {});
  view.append(stage);
  const show = async () => {
    viewers.forEach((v) => v.destroy());
    viewers.length = 0;
    clear(stage);
    let queue;
    try { queue = (await gql(STUDY_QUEUE, { curriculum: topic, first: 1 })).studyQueue; } catch (error) { stage.append(errorBox(error)); return; }
    stage.append(h('h2', { id: 'study-counts' }, `${topicLabel(topic, tree)}: ${queue.dueCount} due, ${queue.newCount} new`));
    const card = queue.cards[0];
    if (!card) {
      stage.append(h('p', { class: 'notice', role: 'status' }, 'Nothing to study here now: no review is due and every case is studied. Come back when a card falls due, or pick another topic.'));
      return;
    }
    const out = h('div', { 'aria-live': 'polite', class: 'answer-out' });
    const side = h('div', { class: 'room-side' },
      h('section', { class: 'card', 'aria-labelledby': 'hist-h' }, h('h2', { id: 'hist-h' }, 'Clinical history'),
        h('p', { class: 'clinical-history' }, card.case.clinicalHistory || 'No clinical history given.'),
        h('p', { class: 'meta' }, [card.state === 'NEW' ? 'New case' : `Review ${card.reps + 1}${card.due ? `, due ${fmtDate(card.due)}` : ''}`,
          card.case.patientAgeBand, card.case.patientSex, card.case.modalities.join(', ')].filter(Boolean).join(' · '))));
    const opened = (answer) => {
      out.append(modelAnswer(answer), rating(card, out, show));
      const heading = out.querySelector('#model-h');
      if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
      announce('Model answer shown');
    };
    if (card.revealed) {
      // Answered earlier and not rated yet: the server returns the answer committed then (a new one is ignored).
      try { opened((await mutate(REVEAL, { case: card.case.id, answer: '(committed earlier)', abnormal: null }, 'revealStudyCase')).modelAnswer); } catch (error) { out.append(errorBox(error)); }
    } else {
      side.append(answerForm(card, opened));
    }
    side.append(out);
    stage.append(h('div', { class: 'room' }, h('div', { class: 'room-images' }, images(card.case, viewers)), side));
  };
  await show();
  // 1-4 press the rating buttons while they are shown (not while typing an answer).
  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest('input, textarea, select')) return;
    const button = stage.querySelectorAll('.rating button')[Number(e.key) - 1];
    if (button && !button.disabled) { e.preventDefault(); button.click(); }
  };
  document.addEventListener('keydown', onKey);
  return () => { document.removeEventListener('keydown', onKey); viewers.forEach((v) => v.destroy()); };
}
