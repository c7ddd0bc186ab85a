// The structured report (long case) and the rapid-reporting answer, plus the model answer panel.
import { h, field, lines, nextId } from './dom.js';

export function longForm() {
  const c = {
    observations: h('textarea', { name: 'observations', rows: 5 }),
    interpretation: h('textarea', { name: 'interpretation', rows: 3 }),
    principalDiagnosis: h('input', { name: 'principalDiagnosis' }),
    differentialDiagnoses: h('textarea', { name: 'differentialDiagnoses', rows: 3 }),
    management: h('textarea', { name: 'management', rows: 2 }),
  };
  const element = [field('Observations', c.observations), field('Interpretation', c.interpretation),
    field('Principal diagnosis', c.principalDiagnosis), field('Differential diagnoses', c.differentialDiagnoses, 'One per line.'),
    field('Management / recommendation', c.management)];
  const values = () => ({ observations: c.observations.value.trim() || null, interpretation: c.interpretation.value.trim() || null,
    principalDiagnosis: c.principalDiagnosis.value.trim() || null, differentialDiagnoses: lines(c.differentialDiagnoses.value),
    management: c.management.value.trim() || null });
  return { element, values, first: c.observations };
}

export function rapidForm() {
  const name = nextId('normality');
  const normal = h('input', { type: 'radio', name, value: 'normal', id: `${name}-n` });
  const abnormal = h('input', { type: 'radio', name, value: 'abnormal', id: `${name}-a` });
  const what = h('input', { name: 'principalDiagnosis' });
  const element = [h('fieldset', { class: 'choice' }, h('legend', {}, 'Normal or abnormal?'),
    h('label', { for: normal.id, class: 'radio' }, normal, 'Normal (N)'), h('label', { for: abnormal.id, class: 'radio' }, abnormal, 'Abnormal (A)')),
  field('Abnormality', what, 'Name the abnormality when the film is abnormal.')];
  const values = () => ({ abnormal: abnormal.checked ? true : normal.checked ? false : null, principalDiagnosis: what.value.trim() || null });
  return { element, values, first: normal, setNormal: () => { normal.checked = true; }, setAbnormal: () => { abnormal.checked = true; what.focus(); } };
}

export function answerPanel(report, mine) {
  const answer = (report && report.modelAnswer) || {};
  const rows = (obj, keys) => h('dl', { class: 'fields' }, keys.filter(([k]) => obj[k] && (!Array.isArray(obj[k]) || obj[k].length))
    .map(([k, label]) => [h('dt', {}, label), h('dd', {}, Array.isArray(obj[k]) ? obj[k].join('; ') : String(obj[k]))]));
  return h('div', { class: 'answer-grid' },
    mine ? h('section', { class: 'card', 'aria-labelledby': 'mine-h' }, h('h3', { id: 'mine-h' }, 'Your report'),
      rows({ ...mine, abnormal: mine.abnormal === null || mine.abnormal === undefined ? null : (mine.abnormal ? 'Abnormal' : 'Normal') },
        [['abnormal', 'Normal or abnormal'], ['observations', 'Observations'], ['interpretation', 'Interpretation'],
          ['principalDiagnosis', 'Principal diagnosis'], ['differentialDiagnoses', 'Differentials'], ['management', 'Management']])) : null,
    h('section', { class: 'card model-answer', 'aria-labelledby': 'model-h' }, h('h3', { id: 'model-h' }, 'Model answer'),
      rows(answer, [['diagnosis', 'Diagnosis'], ['findings', 'Findings'], ['teachingPoints', 'Teaching points']])));
}
