// DICOM upload: files, a folder or a zip into a collection (POST /api/uploads), with progress.
import { h, clear, title, errorBox, field, announce } from './dom.js';
import { gql } from './gql.js';
import { token } from './auth.js';
import { COLLECTIONS } from './ops.js';

function send(form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('Authorization', `Bearer ${token()}`);
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
    xhr.addEventListener('load', () => {
      const body = xhr.response || {};
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(Object.assign(new Error((body.error && body.error.message) || `The upload failed (HTTP ${xhr.status}).`), { code: body.error && body.error.code }));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload could not reach the server.')));
    xhr.send(form);
  });
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function summaryView(result) {
  const studies = result.studies || [];
  return h('section', { class: 'card', 'aria-labelledby': 'import-h' }, h('h2', { id: 'import-h' }, 'Import summary'),
    h('p', {}, `${plural(result.studies_created ?? studies.length, 'study', 'studies')} imported, ${plural(result.imported ?? 0, 'file', 'files')} imported, `
      + `${(result.skipped || []).length} skipped, ${(result.duplicates || []).length} duplicate, ${(result.failed || []).length} failed.`),
    studies.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Status', 'Case', 'Series', 'Files', 'Quarantined'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, studies.map((st) => h('tr', {}, h('td', {}, st.status), h('td', {}, st.case_path || st.title || '-'), h('td', {}, String(st.series)),
        h('td', {}, String(st.files)), h('td', { class: st.quarantined ? 'warn' : '' }, st.quarantined ? `${st.quarantined} (possible burned-in text: review before submitting)` : '0'))))) : null,
    (result.failed || []).length ? h('details', {}, h('summary', {}, 'Files that failed'),
      h('ul', {}, result.failed.map((f) => h('li', {}, `${f.label}: ${f.reason}`)))) : null);
}

export async function render(view, { query }) {
  title('Upload DICOM');
  const data = await gql(COLLECTIONS);
  const collection = h('select', { name: 'collection', required: true }, data.collections.map((c) => h('option', { value: c.id, selected: c.id === query.get('collection') }, `${c.title} (${c.path})`)));
  const caseUid = query.get('case');
  const files = h('input', { type: 'file', name: 'files', multiple: true, accept: '.dcm,.zip,application/dicom,application/zip' });
  const folder = h('input', { type: 'file', name: 'folder', multiple: true, webkitdirectory: true });
  const bar = h('progress', { max: 100, value: 0, id: 'upload-progress' });
  const barLabel = h('label', { for: 'upload-progress' }, 'Upload progress');
  const out = h('div', { 'aria-live': 'polite' });
  const go = h('button', { type: 'submit' }, 'Upload');
  const form = h('form', { class: 'card narrow', onsubmit: async (e) => {
    e.preventDefault();
    clear(out);
    const chosen = [...files.files, ...folder.files];
    if (!chosen.length) { out.append(errorBox({ message: 'Choose DICOM files, a folder or a zip first.' })); return; }
    const body = new FormData();
    body.append('collection', collection.value);
    if (caseUid) body.append('case', caseUid);
    chosen.forEach((f) => body.append('files', f, f.webkitRelativePath || f.name));
    go.disabled = true;
    bar.value = 0;
    try {
      const result = await send(body, (loaded, total) => { bar.value = Math.round((100 * loaded) / total); });
      bar.value = 100;
      out.append(summaryView(result));
      const back = query.get('back');
      const made = (result.studies || []).find((st) => st.case_uid);
      if (back) out.append(h('p', {}, h('a', { href: `/ui/cases/${encodeURIComponent(back)}` }, 'Back to the case')));
      else if (made) out.append(h('p', {}, h('a', { href: `/ui/search?q=${encodeURIComponent(made.title || '')}&order=NEWEST` }, 'Find the new case')));
      announce('Upload finished');
    } catch (error) { out.append(errorBox(error)); } finally { go.disabled = false; }
  } }, field('Collection', collection), field('DICOM files or a zip', files), field('Or a whole folder', folder),
  h('div', { class: 'field' }, barLabel, bar), go);
  view.append(h('h1', {}, caseUid ? 'Add DICOM images to a case' : 'Upload DICOM'),
    h('p', { class: 'lead' }, `Files are de-identified on the server; ${caseUid ? 'their studies are added to the case' : 'each study becomes a draft case'}. `
      + 'Images with possible burned-in text are quarantined until an editor releases them.'),
    form, out);
}
