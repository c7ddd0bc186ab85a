// A case's images: the DICOM viewer (Cornerstone3D over /dicomweb, /ui/viewer/viewer.js, loaded only
// here) where the browser has WebGL and /dicomweb serves the series; otherwise, as before, a strip
// of series thumbnails and the server-rendered stack viewer of the chosen series.
import { h, clear } from './dom.js';
import { stackViewer } from './viewer.js';
import { token } from './auth.js';

/** Whether this browser can run the DICOM viewer (it needs WebGL; the issue keeps the server viewer otherwise). */
export function hasWebGL() {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    if (gl) gl.getExtension('WEBGL_lose_context')?.loseContext();
    return Boolean(gl);
  } catch (err) { return false; }
}

let bundle = null;
/** Start loading the viewer's bundle (pages call it before their GraphQL query, so the two overlap). */
export function preloadViewer() {
  if (!bundle && hasWebGL()) bundle = import('/ui/viewer/viewer.js');
  return bundle;
}

function serverViewer(series, viewers) {
  const stage = h('div', { class: 'stage' });
  const open = (se, button) => {
    viewers.forEach((v) => v.destroy());
    viewers.length = 0;
    const v = stackViewer(se, { label: `${se.study.description || 'Study'}: ${se.description || se.modality || 'series'}` });
    viewers.push(v);
    clear(stage).append(v.element);
    strip.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
  };
  const strip = h('ul', { class: 'series-strip', 'aria-label': 'Series' }, series.map((se) => {
    const b = h('button', { type: 'button', class: 'series-thumb', 'aria-pressed': 'false' },
      se.thumbnailUrl ? h('img', { src: se.thumbnailUrl, alt: '', width: 72, height: 72 }) : h('span', { class: 'thumb-empty' }, se.modality || '?'),
      h('span', {}, `${se.description || se.modality || 'Series'} (${se.instanceCount})`));
    b.addEventListener('click', () => open(se, b));
    return h('li', {}, b);
  }));
  open(series[0], strip.querySelector('button'));
  return [strip, stage];
}

/** Whether /dicomweb serves every series (QIDO-RS, which answers an empty list, not an error, for
 * a study it does not serve: a case not yet validated, images a working copy added). */
async function allServed(series) {
  const studies = new Map();
  for (const se of series) {
    const [, study, uid] = se.dicomwebPath.match(/\/studies\/([^/]+)\/series\/([^/]+)$/) || [];
    if (!study) return false;
    if (!studies.has(study)) studies.set(study, new Set());
    studies.get(study).add(uid);
  }
  for (const [study, wanted] of studies) {
    const response = await fetch(`/dicomweb/studies/${encodeURIComponent(study)}/series?includefield=0020000E`,
      { headers: { Accept: 'application/dicom+json', Authorization: `Bearer ${token()}` } });
    if (!response.ok) return false;
    const found = response.status === 204 ? [] : await response.json();
    const served = new Set(found.map((row) => row['0020000E']?.Value?.[0]));
    if ([...wanted].some((uid) => !served.has(uid))) return false;
  }
  return true;
}

/**
 * `viewers` collects the open viewer so the page can stop it when it goes away. `options` go to the
 * DICOM viewer (annotations, editable, readOnlyAnnotations, onChange, reservedKeys) and `onReady(api)`
 * gets its API once it shows; a page without the DICOM viewer never calls it.
 */
export function images(kase, viewers, options = {}) {
  const series = kase.studies.flatMap((st) => st.series.map((se) => ({ ...se, study: st })));
  const section = h('section', { class: 'card', 'aria-labelledby': 'img-h' }, h('h2', { id: 'img-h' }, 'Images'));
  if (!series.length) { section.append(h('p', { class: 'muted' }, 'No images yet.')); return section; }
  const dicom = hasWebGL() && series.every((se) => se.dicomwebPath);
  if (!dicom) { section.append(...serverViewer(series, viewers)); return section; }
  const host = h('div', { class: 'dicom-host', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading the images…'));
  section.append(host);
  const shown = series.map((se) => ({
    label: `${se.description || se.modality || 'Series'}`,
    dicomwebPath: se.dicomwebPath,
    instances: se.instances ? se.instances.edges.map((e) => ({ id: e.node.id, sopInstanceUid: e.node.sopInstanceUid })) : [],
  }));
  const holder = { destroy: () => {} };
  viewers.push(holder);
  allServed(series)
    .then((served) => { if (!served) throw new Error('/dicomweb does not serve every series of this case'); })
    .then(() => preloadViewer())
    .then((mod) => mod.mountViewer(host, shown, { token, ...options }))
    .then((api) => {
      holder.destroy = api.destroy;
      host.removeAttribute('aria-busy');
      if (!host.isConnected) { api.destroy(); return; }
      if (options.onReady) options.onReady(api);
    })
    .catch((error) => {
      // Not built, or a case /dicomweb does not serve (not yet validated): the server-rendered viewer.
      console.info('DICOM viewer unavailable, showing rendered images:', error.message || error);
      holder.destroy();
      const i = viewers.indexOf(holder);
      if (i >= 0) viewers.splice(i, 1);
      host.removeAttribute('aria-busy');
      clear(host).append(...serverViewer(series, viewers));
    });
  return section;
}
