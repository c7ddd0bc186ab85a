// The editable fields of a case: how each is shown in the form, read back, and compared.
import { h, field, lines } from './dom.js';

export const DIFFICULTIES = ['FOUNDATION', 'INTERMEDIATE', 'ADVANCED'];
export const FIELDS = [
  { key: 'title', label: 'Title', kind: 'text', required: true },
  { key: 'clinicalHistory', label: 'Clinical history', kind: 'area', rows: 3 },
  { key: 'findings', label: 'Findings', kind: 'area', rows: 4 },
  { key: 'diagnosis', label: 'Diagnosis', kind: 'area', rows: 2 },
  { key: 'differentialDiagnoses', label: 'Differential diagnoses', kind: 'lines', rows: 3, hint: 'One per line.' },
  { key: 'discussion', label: 'Discussion', kind: 'area', rows: 4 },
  { key: 'teachingPoints', label: 'Teaching points', kind: 'area', rows: 3 },
  { key: 'difficulty', label: 'Difficulty', kind: 'select' },
  { key: 'modalities', label: 'Modalities', kind: 'comma', hint: 'Comma separated, e.g. CT, MR.' },
  { key: 'bodyRegions', label: 'Body regions', kind: 'comma', hint: 'Comma separated, e.g. HEAD, CHEST.' },
  { key: 'curriculumCodes', label: 'Curriculum codes', kind: 'codes' },
  { key: 'tags', label: 'Tags', kind: 'tags' },
];
export const LABELS = Object.fromEntries(FIELDS.map((f) => [f.key, f.label]));

/** The editable values of a Case node, keyed as UpdateCaseInput names them. */
export function valuesOf(kase) {
  return {
    title: kase.title || '', clinicalHistory: kase.clinicalHistory || '', findings: kase.findings || '',
    diagnosis: kase.diagnosis || '', differentialDiagnoses: kase.differentialDiagnoses || [],
    discussion: kase.discussion || '', teachingPoints: kase.teachingPoints || '', difficulty: kase.difficulty || null,
    modalities: kase.modalities || [], bodyRegions: kase.bodyRegions || [],
    curriculumCodes: (kase.curriculum || []).map((c) => c.code), tags: kase.tags || [],
  };
}

export function same(a, b) {
  const norm = (v) => (Array.isArray(v) ? v.join('\n') : (v ?? '')).toString().trim();
  return norm(a) === norm(b);
}

export function show(value) {
  if (Array.isArray(value)) return value.length ? value.join('; ') : '(empty)';
  return value ? String(value) : '(empty)';
}

/** A form control for one simple field; returns { element, get, set }. Pickers are made by the page. */
export function control(spec, value) {
  let input;
  if (spec.kind === 'text') input = h('input', { name: spec.key, value: value || '', required: spec.required });
  else if (spec.kind === 'select') {
    input = h('select', { name: spec.key }, h('option', { value: '' }, 'Not set'),
      DIFFICULTIES.map((d) => h('option', { value: d, selected: value === d }, d.charAt(0) + d.slice(1).toLowerCase())));
  } else if (spec.kind === 'comma') input = h('input', { name: spec.key, value: (value || []).join(', ') });
  else input = h('textarea', { name: spec.key, rows: spec.rows || 3 }, spec.kind === 'lines' ? (value || []).join('\n') : (value || ''));
  const get = () => {
    if (spec.kind === 'select') return input.value || null;
    if (spec.kind === 'comma') return input.value.split(',').map((v) => v.trim()).filter(Boolean);
    if (spec.kind === 'lines') return lines(input.value);
    return input.value.trim();
  };
  const set = (v) => {
    if (spec.kind === 'comma') input.value = (v || []).join(', ');
    else if (spec.kind === 'lines') input.value = (v || []).join('\n');
    else input.value = v || '';
  };
  return { element: field(spec.label, input, spec.hint), get, set };
}
