// The case page: fields, images (thumbnails and a stack viewer), workflow buttons, history, comments.
import { h, append, clear, title, stateBadge, errorBox, announce, fmtDate, field } from './dom.js';
import { gql, mutate } from './gql.js';
import { CASE_DETAIL, TRANSITION, SAVE_ANNOTATIONS } from './ops.js';
import { images, preloadViewer } from './case_images.js';
import { historySection, commentsSection } from './case_history.js';
import { quarantineSection } from './quarantine.js';

const TRANSITION_LABELS = { SUBMIT: 'Submit for review', VALIDATE: 'Validate', REQUEST_CHANGES: 'Request changes',
  RETIRE: 'Retire', REOPEN: 'Reopen' };

function fields(kase) {
  const rows = [['Clinical history', kase.clinicalHistory], ['Findings', kase.findings], ['Diagnosis', kase.diagnosis],
    ['Differential diagnoses', kase.differentialDiagnoses && kase.differentialDiagnoses.length
      ? h('ul', {}, kase.differentialDiagnoses.map((d) => h('li', {}, d))) : null],
    ['Discussion', kase.discussion], ['Teaching points', kase.teachingPoints],
    ['Difficulty', kase.difficulty && kase.difficulty.toLowerCase()], ['Patient', [kase.patientAgeBand, kase.patientSex].filter(Boolean).join(', ')],
    ['Modalities', kase.modalities.join(', ')], ['Body regions', kase.bodyRegions.join(', ')],
    ['Tags', kase.tags && kase.tags.length ? h('ul', { class: 'tags' }, kase.tags.map((t) => h('li', {}, t))) : null],
    ['Curriculum', kase.curriculum && kase.curriculum.length ? h('ul', { class: 'codes' }, kase.curriculum.map((c) => h('li', {},
      h('a', { href: `/ui/search?cur=${encodeURIComponent(c.code)}` }, h('code', {}, c.code), ` ${c.title}`)))) : null]];
  return h('dl', { class: 'fields' }, rows.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function workflow(kase, reload) {
  if (!kase.availableTransitions.length) return null;
  const comment = h('textarea', { rows: 2, name: 'comment' });
  const out = h('div', { 'aria-live': 'polite' });
  const buttons = kase.availableTransitions.map((t) => h('button', { type: 'button', class: t === 'REQUEST_CHANGES' || t === 'RETIRE' ? 'secondary' : '',
    dataset: { transition: t }, onclick: async (e) => {
      clear(out);
      if (t === 'REQUEST_CHANGES' && !comment.value.trim()) {
        out.append(errorBox({ message: 'Say what needs to change in the comment.' }));
        comment.focus();
        return;
      }
      e.currentTarget.disabled = true;
      try {
        const payload = await mutate(TRANSITION, { id: kase.id, transition: t, comment: comment.value.trim() || null }, 'transitionCase');
        announce(`Case is now ${payload.case.state.toLowerCase()}`);
        reload();
      } catch (error) { out.append(errorBox(error)); e.currentTarget.disabled = false; }
    } }, TRANSITION_LABELS[t] || t));
  return h('section', { class: 'card workflow', 'aria-labelledby': 'wf-h' }, h('h2', { id: 'wf-h' }, 'Workflow'),
    field(kase.availableTransitions.includes('REQUEST_CHANGES') ? 'Comment (required to request changes)' : 'Comment (optional)', comment), h('div', { class: 'buttons' }, buttons), out);
}

// Authors mark the key finding on the key images: the marks are saved as a new version of the case.
function marksBar(kase, api, reload) {
  const out = h('div', { 'aria-live': 'polite' });
  const comment = h('input', { type: 'text', name: 'marks-comment', 'aria-label': 'Why (kept with the version)', placeholder: 'Why (optional)' });
  const save = h('button', { type: 'button', onclick: async () => {
    clear(out);
    save.disabled = true;
    try {
      const payload = await mutate(SAVE_ANNOTATIONS, { input: { case: kase.id, expectedVersion: kase.version,
        annotations: api.annotations(), comment: comment.value.trim() || null } }, 'saveAnnotations');
      announce(`Marks saved: version ${payload.case.version}`);
      reload();
    } catch (error) { out.append(errorBox(error)); save.disabled = false; }
  } }, 'Save marks');
  return h('div', { class: 'marks-bar' }, h('p', { class: 'meta' }, `${(kase.annotations || []).length} saved mark(s). Draw with Length, Angle, Ellipse, Probe or Arrow; Delete removes the selected one.`),
    h('div', { class: 'buttons' }, comment, save), out);
}

export async function render(view, { params, navigate }) {
  const viewers = [];
  preloadViewer()?.catch(() => {});  // overlaps the query; images() falls back if it fails
  const data = await gql(CASE_DETAIL, { id: params.id });
  const kase = data.node;
  if (!kase) {
    title('Case not found');
    view.append(h('h1', {}, 'Case not found'), h('p', {}, 'It does not exist or you may not see it.'));
    return null;
  }
  title(kase.title || 'Case');
  const reload = () => navigate(location.pathname, { replace: true });
  const canEdit = Boolean(kase.history);
  const header = h('header', { class: 'case-head' },
    h('h1', {}, kase.title || 'Untitled case'),
    h('p', { class: 'meta' }, stateBadge(kase.state), ` Version ${kase.version}`,
      kase.publishedVersion ? ` · published version ${kase.publishedVersion}` : ' · not yet published',
      kase.collection ? ` · ${kase.collection.title}` : '', ` · ${kase.path}`),
    h('p', { class: 'meta' }, `Created ${fmtDate(kase.createdAt)}${kase.creator ? ` by ${kase.creator.displayName}` : ''}; modified ${fmtDate(kase.modifiedAt)}`,
      kase.validator ? `; validated by ${kase.validator.displayName}` : ''),
    canEdit ? h('p', { class: 'buttons' }, h('a', { class: 'button', href: `/ui/cases/${encodeURIComponent(kase.id)}/edit` }, 'Edit case'),
      kase.collection ? h('a', { class: 'button secondary', href: `/ui/upload?collection=${encodeURIComponent(kase.collection.id)}&case=${encodeURIComponent(kase.uid)}&back=${encodeURIComponent(kase.id)}` }, 'Add DICOM images') : null) : null);
  append(view, [header, h('div', { class: 'case-grid' },
    h('div', { class: 'case-images' }, images(kase, viewers, {
      annotations: kase.annotations || [], editable: canEdit,
      onReady: (api) => { if (canEdit && kase.annotations) api.element.after(marksBar(kase, api, reload)); },
    })),
    h('div', { class: 'case-text' }, workflow(kase, reload),
      h('section', { class: 'card', 'aria-labelledby': 'fields-h' }, h('h2', { id: 'fields-h' }, 'Case'), fields(kase)))),
  canEdit ? quarantineSection(kase, { reload }) : null, canEdit ? historySection(kase, { canEdit, reload }) : null, commentsSection(kase)]);
  return () => viewers.forEach((v) => v.destroy());
}
