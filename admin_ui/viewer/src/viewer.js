// The reporting room's DICOM viewer: Cornerstone3D reading Lightbox's own /dicomweb (WADO-RS series
// metadata and frames) with the signed-in person's bearer token, so every permission, blind and
// image-version rule of /dicomweb applies unchanged. Bundled by build.mjs into /ui/viewer/viewer.js.
import {
  init as coreInit, RenderingEngine, Enums, metaData, setUseCPURendering, utilities as csUtils, cache, eventTarget, imageLoader,
} from '@cornerstonejs/core';
import { init as loaderInit, wadors } from '@cornerstonejs/dicom-image-loader';
import {
  init as toolsInit, addTool, ToolGroupManager, WindowLevelTool, PanTool, ZoomTool, StackScrollTool,
  LengthTool, AngleTool, EllipticalROITool, ProbeTool, ArrowAnnotateTool, Enums as ToolEnums,
  annotation as annotationApi, synchronizers, utilities as toolUtils,
} from '@cornerstonejs/tools';

const { MouseBindings, Events: ToolEvents } = ToolEnums;
// Tools a person picks for the left button, with the keys PACS and OHIF users know.
export const TOOLS = [
  ['WindowLevel', WindowLevelTool.toolName, 'W', 'Window/level (drag)'],
  ['Pan', PanTool.toolName, 'P', 'Pan'],
  ['Zoom', ZoomTool.toolName, 'Z', 'Zoom'],
  ['Length', LengthTool.toolName, 'L', 'Length'],
  ['Angle', AngleTool.toolName, 'A', 'Angle'],
  ['Ellipse', EllipticalROITool.toolName, 'E', 'Elliptical ROI (mean, SD)'],
  ['Probe', ProbeTool.toolName, 'O', 'Probe (pixel value)'],
  ['Arrow', ArrowAnnotateTool.toolName, 'T', 'Arrow with text'],
];
// Window presets (width, centre) on the number keys, as OHIF has them.
export const PRESETS = [
  ['1', 'Soft tissue', 400, 40], ['2', 'Lung', 1500, -600], ['3', 'Liver', 150, 90], ['4', 'Bone', 2500, 480],
  ['5', 'Brain', 80, 40], ['6', 'Subdural', 200, 75], ['7', 'Stroke', 40, 40], ['8', 'Mediastinum', 350, 50],
];
export const SHORTCUTS = [
  ...TOOLS.map(([, , key, label]) => [key, label]),
  ...PRESETS.map(([key, label, w, c]) => [key, `${label} window (W ${w} / L ${c})`]),
  ['0', 'Window as stored'], ['I', 'Invert'], ['Space', 'Reset the view'], ['C', 'Play or stop the cine'],
  ['↑ / ↓, wheel', 'Previous / next image'], ['Page Up / Page Down', '10 images back / on'], ['Home / End', 'First / last image'],
  ['← / →', 'Previous / next viewport'], ['Middle drag', 'Pan'], ['Right drag', 'Zoom'], ['Delete', 'Remove the selected mark'],
];
// Contract kinds (docs/contract/viewer.graphql) and the tools that draw them.
const KIND_TOOL = { ARROW: ArrowAnnotateTool.toolName, ELLIPSE: EllipticalROITool.toolName, LENGTH: LengthTool.toolName, ANGLE: AngleTool.toolName, PROBE: ProbeTool.toolName };
const TOOL_KIND = Object.fromEntries(Object.entries(KIND_TOOL).map(([k, t]) => [t, k]));

let ready = null;
let tokenOf = () => null;
let arrowText = () => '';
let engineCount = 0;

/** What WebGL this browser has: 'none', 'software' (SwiftShader, llvmpipe) or 'hardware'. */
export function webgl() {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
  if (!gl) return 'none';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer) ? 'software' : 'hardware';
}

function initOnce() {
  if (!ready) {
    ready = (async () => {
      await coreInit();
      loaderInit({
        maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
        // The loader's XHRs carry the person's bearer token; /dicomweb takes no cookie.
        beforeSend: () => ({ Authorization: `Bearer ${tokenOf()}` }),
        wasmBasePath: new URL('./', import.meta.url).href,
      });
      toolsInit();
      for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool, ProbeTool, ArrowAnnotateTool]) addTool(tool);
    })();
  }
  return ready;
}

const value = (attrs, tag) => attrs[tag]?.Value?.[0];

// Image pixel [column, row] (0, 0 = the image's top-left corner, as the contract has it) to patient
// space and back. Not csUtils.imageToWorldCoords: Cornerstone 5.14 steps along a row by the spacing
// between rows, which misplaces every point on images with anisotropic pixels (found by the length test).
function plane(imageId) {
  // A plain film has no position or orientation: Cornerstone then places it at the origin, axial.
  const p = metaData.get('imagePlaneModule', imageId) || {};
  return { origin: p.imagePositionPatient || [0, 0, 0], x: p.rowCosines || [1, 0, 0], y: p.columnCosines || [0, 1, 0],
    dx: p.columnPixelSpacing || 1, dy: p.rowPixelSpacing || 1 };
}
export function imageToWorld(imageId, [c, r]) {
  const { origin, x, y, dx, dy } = plane(imageId);
  return [0, 1, 2].map((k) => origin[k] + x[k] * dx * (c - 0.5) + y[k] * dy * (r - 0.5));
}
export function worldToImage(imageId, point) {
  const { origin, x, y, dx, dy } = plane(imageId);
  const d = [0, 1, 2].map((k) => point[k] - origin[k]);
  return [(d[0] * x[0] + d[1] * x[1] + d[2] * x[2]) / dx + 0.5, (d[0] * y[0] + d[1] * y[1] + d[2] * y[2]) / dy + 0.5];
}

/** The series' instances in display order from its WADO-RS metadata: one image id per frame. */
async function loadSeries(path, sop = null) {
  // With `sop`, one instance's metadata: the first image shows while the series' metadata comes.
  const url = sop ? `${path}/instances/${encodeURIComponent(sop)}/metadata` : `${path}/metadata`;
  const response = await fetch(url, { headers: { Accept: 'application/dicom+json', Authorization: `Bearer ${tokenOf()}` } });
  if (!response.ok) throw new Error(`series metadata: HTTP ${response.status}`);
  const instances = await response.json();
  const base = `${location.origin}${path}`;
  const rows = instances.map((attrs) => {
    // A spacing of 0 (RG1's "0.000\0.000") means none: left in, it turns every distance into NaN.
    for (const tag of ['00280030', '00181164']) {
      if (attrs[tag] && !(attrs[tag].Value || []).every((v) => Number(v) > 0)) delete attrs[tag];
    }
    const position = attrs['00200032']?.Value;
    const orientation = attrs['00200037']?.Value;
    let depth = Number(value(attrs, '00200013') || 0);
    if (position && orientation) {
      const [a, b, c, d, e, f] = orientation.map(Number);
      const normal = [b * f - c * e, c * d - a * f, a * e - b * d];
      depth = position.reduce((sum, p, i) => sum + Number(p) * normal[i], 0);
    }
    return { attrs, depth, sop: value(attrs, '00080018'), frames: Number(value(attrs, '00280008') || 1) };
  }).sort((x, y) => x.depth - y.depth);
  const imageIds = [];
  const sopOf = new Map();
  for (const row of rows) {
    for (let n = 1; n <= row.frames; n += 1) {
      const imageId = `wadors:${base}/instances/${row.sop}/frames/${n}`;
      if (n === 1) wadors.metaDataManager.add(imageId, row.attrs);
      imageIds.push(imageId);
      sopOf.set(imageId, { sop: row.sop, frame: n });
    }
  }
  const first = rows[0]?.attrs || {};
  return { imageIds, sopOf, photometric: value(first, '00280004'), bits: Number(value(first, '00280100') || 8), modality: value(first, '00080060') };
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.flat().filter((c) => c != null));
  return node;
}

/**
 * Mount the viewer in `host`.
 * series: [{ label, dicomwebPath, instances: [{ id, sopInstanceUid }] }]
 * options: token() -> bearer, annotations (contract shape, shown), editable (marks may be drawn and
 * read back), readOnlyAnnotations (shown locked, e.g. the model answer's), reservedKeys (left to the page).
 * Resolves to { element, destroy, annotations(), showAnnotations(list, { locked }), viewports, mode }.
 */
export async function mountViewer(host, series, options = {}) {
  tokenOf = options.token || tokenOf;
  await initOnce();
  // The series' metadata can take seconds (hundreds of headers); the first instance's is quick, so the
  // first image shows from it and the stack fills in when the whole series' metadata arrives.
  const whole = Promise.all(series.map((s) => loadSeries(s.dicomwebPath)));
  const firsts = series.map((s) => s.instances?.[0]?.sopInstanceUid);
  const loaded = firsts.every(Boolean) && series.some((s) => s.instances.length > 1)
    ? await Promise.all(series.map((s, i) => loadSeries(s.dicomwebPath, firsts[i])))
    : await whole;
  const partial = loaded.map((l, i) => l.imageIds.length < (series[i].instances?.length || 0));
  // Item 6: 16-bit MONOCHROME1 renders black on the GPU path under software WebGL; those get the CPU path.
  const gl = webgl();
  // localStorage 'lightbox.viewer.rendering' = 'gpu' or 'cpu' forces a path (to diagnose a display).
  const forced = localStorage.getItem('lightbox.viewer.rendering');
  const cpu = forced ? forced === 'cpu' : gl === 'none' || (gl === 'software' && loaded.some((l) => l.photometric === 'MONOCHROME1' && l.bits > 8));
  setUseCPURendering(cpu);
  engineCount += 1;
  const id = `lightbox-${engineCount}`;
  const engine = new RenderingEngine(id);
  const group = ToolGroupManager.createToolGroup(`${id}-tools`);
  const sliceSync = synchronizers.createImageSliceSynchronizer(`${id}-slices`);
  const reserved = new Set((options.reservedKeys || []).map((k) => k.toLowerCase()));
  const idOf = new Map();  // SOPInstanceUID -> GraphQL Instance id, and back
  series.forEach((s) => (s.instances || []).forEach((i) => { idOf.set(i.sopInstanceUid, i.id); idOf.set(i.id, i.sopInstanceUid); }));

  const status = el('p', { class: 'dv-status', 'aria-live': 'polite' });
  const grid = el('div', { class: 'dv-grid', 'data-layout': '1x1' });
  const labelInput = el('input', { type: 'text', class: 'dv-arrow-text', placeholder: 'Arrow label', 'aria-label': 'Text of the next arrow' });
  arrowText = () => labelInput.value.trim();
  let active = WindowLevelTool.toolName;
  let focused = 0;
  let layout = '1x1';
  const cells = [];
  const tips = el('dl', { class: 'shortcuts dv-help' }, SHORTCUTS.map(([k, d]) => [el('dt', {}, el('kbd', {}, k)), el('dd', {}, d)]));

  group.addTool(WindowLevelTool.toolName);
  group.addTool(PanTool.toolName);
  group.addTool(ZoomTool.toolName);
  group.addTool(StackScrollTool.toolName);
  for (const name of [LengthTool.toolName, AngleTool.toolName, EllipticalROITool.toolName, ProbeTool.toolName]) group.addTool(name);
  group.addTool(ArrowAnnotateTool.toolName, {
    getTextCallback: (done) => done(arrowText() || 'Finding'),
    changeTextCallback: (data, eventData, done) => done(window.prompt('Arrow text', data.label) ?? data.label),
  });
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  const toolButtons = TOOLS.map(([key, name, shortcut, label]) => el('button', {
    type: 'button', class: 'secondary dv-tool', 'data-tool': key, title: `${label} (${shortcut})`, 'aria-pressed': 'false',
    onclick: () => use(name),
  }, key === 'WindowLevel' ? 'W/L' : key));
  function use(name) {
    if (active !== name) {
      if (active === PanTool.toolName || active === ZoomTool.toolName) group.setToolActive(active, { bindings: [{ mouseButton: active === PanTool.toolName ? MouseBindings.Auxiliary : MouseBindings.Secondary }] });
      else group.setToolPassive(active);
    }
    active = name;
    const extra = name === PanTool.toolName ? [{ mouseButton: MouseBindings.Auxiliary }] : name === ZoomTool.toolName ? [{ mouseButton: MouseBindings.Secondary }] : [];
    group.setToolActive(name, { bindings: [{ mouseButton: MouseBindings.Primary }, ...extra] });
    toolButtons.forEach((b) => b.setAttribute('aria-pressed', String(TOOLS.find((t) => t[0] === b.dataset.tool)[1] === name)));
  }
  // Marks are kept visible (passive) whichever tool is active.
  for (const name of [LengthTool.toolName, AngleTool.toolName, EllipticalROITool.toolName, ProbeTool.toolName, ArrowAnnotateTool.toolName]) group.setToolPassive(name);

  const viewportOf = (i) => engine.getViewport(`${id}-vp${i}`);
  function say() {
    const vp = viewportOf(focused);
    if (!vp) return;
    const { voiRange, invert } = vp.getProperties();
    const wl = voiRange ? csUtils.windowLevel.toWindowLevel(voiRange.lower, voiRange.upper) : null;
    status.textContent = `${cells[focused].label}: image ${vp.getCurrentImageIdIndex() + 1} / ${vp.getImageIds().length}`
      + (wl ? ` · W ${Math.round(wl.windowWidth)} L ${Math.round(wl.windowCenter)}` : '') + (invert ? ' · inverted' : '')
      + ` · zoom ${Math.round(vp.getZoom() * 100)} %${cpu ? ' · CPU rendering' : ''}`;
  }
  async function build(next) {
    layout = next;
    const count = { '1x1': 1, '1x2': 2, '2x2': 4 }[next];
    for (const c of cells) { toolUtils.cine.stopClip(c.element); group.removeViewports(id, c.viewportId); sliceSync.remove({ renderingEngineId: id, viewportId: c.viewportId }); engine.disableElement(c.viewportId); }
    cells.length = 0;
    grid.replaceChildren();
    grid.dataset.layout = next;
    focused = 0;
    for (let i = 0; i < count; i += 1) {
      const s = i % series.length;
      const viewportId = `${id}-vp${i}`;
      const element = el('div', { class: 'dv-viewport', tabindex: '0', 'data-series': String(s), role: 'img',
        'aria-label': `${series[s].label}: DICOM viewer; keyboard shortcuts are listed under “Viewer shortcuts”` });
      element.addEventListener('contextmenu', (e) => e.preventDefault());
      element.addEventListener('pointerdown', () => { focused = i; element.focus(); say(); });
      element.addEventListener('focus', () => { focused = i; seriesSelect.value = String(cells[i].series); say(); });
      const cell = el('div', { class: 'dv-cell' }, element, el('span', { class: 'dv-label' }, series[s].label));
      grid.append(cell);
      cells.push({ element, viewportId, label: series[s].label, series: s });
    }
    engine.setViewports(cells.map((c) => ({ viewportId: c.viewportId, type: Enums.ViewportType.STACK, element: c.element })));
    await Promise.all(cells.map(async (c, i) => {
      const vp = engine.getViewport(c.viewportId);
      const ids = loaded[c.series].imageIds;
      // Side by side series of one study start at the same position; scrolling one moves the others.
      await vp.setStack(ids, 0);
      group.addViewport(c.viewportId, id);
      if (count > 1) sliceSync.add({ renderingEngineId: id, viewportId: c.viewportId });
      toolUtils.stackPrefetch.enable(c.element);
      c.element.addEventListener(Enums.Events.STACK_NEW_IMAGE, say);
      c.element.addEventListener(Enums.Events.VOI_MODIFIED, say);
      c.element.addEventListener(Enums.Events.CAMERA_MODIFIED, say);
      c.element.addEventListener(Enums.Events.IMAGE_RENDERED, () => {
        // When the first image reached the screen (performance.now(), ms), for the benchmark and tests.
        if (!element.dataset.firstImageMs) element.dataset.firstImageMs = String(performance.now());
      }, { once: true });
      vp.render();
    }));
    layoutButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.layout === next)));
    say();
  }
  async function showSeries(s) {
    const c = cells[focused];
    c.series = s;
    c.label = series[s].label;
    c.element.dataset.series = String(s);
    c.element.parentElement.querySelector('.dv-label').textContent = series[s].label;
    await viewportOf(focused).setStack(loaded[s].imageIds, 0);
    viewportOf(focused).render();
    say();
  }
  function preset(w, c) {
    const vp = viewportOf(focused);
    vp.setProperties({ voiRange: csUtils.windowLevel.toLowHighRange(w, c) });
    vp.render();
    say();
  }
  function asStored() { const vp = viewportOf(focused); vp.resetProperties(); vp.render(); say(); }
  function invert() { const vp = viewportOf(focused); vp.setProperties({ invert: !vp.getProperties().invert }); vp.render(); say(); }
  function reset() { const vp = viewportOf(focused); vp.resetCamera(); vp.resetProperties(); vp.render(); say(); }
  const playing = new Set();
  function cine() {
    const c = cells[focused];
    if (playing.has(c.element)) { toolUtils.cine.stopClip(c.element); playing.delete(c.element); }
    else { toolUtils.cine.playClip(c.element, { framesPerSecond: Number(fps.value), loop: true }); playing.add(c.element); }
    cineButton.setAttribute('aria-pressed', String(playing.has(c.element)));
  }
  function scroll(delta) {
    const vp = viewportOf(focused);
    const n = vp.getImageIds().length;
    const to = Math.max(0, Math.min(n - 1, vp.getCurrentImageIdIndex() + delta));
    csUtils.jumpToSlice(vp.element, { imageIndex: to });
  }

  const layoutButtons = ['1x1', '1x2', '2x2'].map((l) => el('button', { type: 'button', class: 'secondary', 'data-layout': l, 'aria-pressed': 'false', onclick: () => build(l) }, l));
  const presetSelect = el('select', { 'aria-label': 'Window preset', onchange: (e) => {
    const p = PRESETS.find((x) => x[0] === e.target.value);
    if (p) preset(p[2], p[3]); else asStored();
  } }, el('option', { value: '' }, 'Window as stored'), PRESETS.map(([k, label, w, c]) => el('option', { value: k }, `${label} (${w}/${c})`)));
  const fps = el('select', { 'aria-label': 'Cine speed' }, [5, 10, 15, 25].map((n) => el('option', { value: n, selected: n === 10 }, `${n} frames/s`)));
  const cineButton = el('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', onclick: cine }, 'Cine');
  const seriesSelect = el('select', { 'aria-label': 'Series in the selected viewport', onchange: (e) => showSeries(Number(e.target.value)) },
    series.map((s, i) => el('option', { value: i }, `${s.label} (${loaded[i].imageIds.length})`)));
  const toolbar = el('div', { class: 'dv-toolbar', role: 'toolbar', 'aria-label': 'Viewer tools' },
    series.length > 1 ? seriesSelect : null, toolButtons, labelInput, presetSelect,
    el('button', { type: 'button', class: 'secondary', onclick: invert }, 'Invert'),
    el('button', { type: 'button', class: 'secondary', onclick: reset }, 'Reset'),
    cineButton, fps, el('span', { class: 'dv-layouts', role: 'group', 'aria-label': 'Layout' }, layoutButtons));
  const element = el('div', { class: 'dicom-viewer', 'data-rendering': cpu ? 'cpu' : 'gpu' }, toolbar, grid, status,
    el('details', { class: 'dv-help-box' }, el('summary', {}, 'Viewer shortcuts'), tips));

  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest('input, textarea, select')) return;
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (reserved.has(k)) return;
    const tool = TOOLS.find((t) => t[2].toLowerCase() === k);
    const p = PRESETS.find((x) => x[0] === k);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (tool) use(tool[1]);
    else if (p) preset(p[2], p[3]);
    else if (k === '0') asStored();
    else if (k === 'i') invert();
    else if (k === ' ') reset();
    else if (k === 'c') cine();
    else if (k in moves) scroll(moves[k]);
    else if (k === 'Home') scroll(-1e9);
    else if (k === 'End') scroll(1e9);
    else if (k === 'ArrowRight' || k === 'ArrowLeft') { focused = (focused + (k === 'ArrowRight' ? 1 : cells.length - 1)) % cells.length; cells[focused].element.focus(); }
    else if (k === 'Delete' || k === 'Backspace') {
      const selected = annotationApi.selection.getAnnotationsSelected() || [];
      selected.forEach((uid) => { if (!annotationApi.locking.isAnnotationLocked(uid)) annotationApi.state.removeAnnotation(uid); });
      toolUtils.triggerAnnotationRenderForViewportIds(cells.map((c) => c.viewportId));
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };
  grid.addEventListener('keydown', onKey);

  /** Contract annotations (pixel coordinates of their instance's frame) drawn on the matching images. */
  function showAnnotations(list, { locked = false, color = 'rgb(255, 176, 0)' } = {}) {
    for (const a of list || []) {
      const toolName = KIND_TOOL[a.kind];
      const sop = idOf.get(a.instance?.id);
      if (!toolName || !sop) continue;
      for (const [s, l] of loaded.entries()) {
        const imageId = l.imageIds.find((i) => l.sopOf.get(i).sop === sop && l.sopOf.get(i).frame === (a.frame || 1));
        if (!imageId) continue;
        const plane = metaData.get('imagePlaneModule', imageId) || {};
        const points = a.points.map((p) => imageToWorld(imageId, [p[0], p[1]]));
        const cell = cells.find((c) => c.series === s) || cells[0];
        const camera = engine.getViewport(cell.viewportId).getCamera();
        const uid = csUtils.uuidv4();
        annotationApi.state.addAnnotation({
          annotationUID: uid, highlighted: false, invalidated: true, isLocked: locked, isVisible: true,
          metadata: { toolName, referencedImageId: imageId, FrameOfReferenceUID: plane.frameOfReferenceUID, viewPlaneNormal: camera.viewPlaneNormal, viewUp: camera.viewUp, lightbox: { locked, series: s } },
          data: { handles: { points, activeHandleIndex: null, textBox: { hasMoved: false, worldPosition: [0, 0, 0], worldBoundingBox: { topLeft: [0, 0, 0], topRight: [0, 0, 0], bottomLeft: [0, 0, 0], bottomRight: [0, 0, 0] } } }, text: a.text || '', label: a.text || '', cachedStats: {} },
        }, cell.element);
        if (locked) {
          annotationApi.locking.setAnnotationLocked(uid, true);
          // Marks one may not change (the model answer's) are drawn in amber, one's own in the tools' colours.
          annotationApi.config.style.setAnnotationStyles(uid, { color, colorLocked: color, lineWidth: '2' });
        }
      }
    }
    toolUtils.triggerAnnotationRenderForViewportIds(cells.map((c) => c.viewportId));
  }
  /** The marks drawn here (not the locked ones shown), as contract AnnotationInput. */
  function annotations() {
    const out = [];
    for (const a of annotationApi.state.getAllAnnotations()) {
      const kind = TOOL_KIND[a.metadata.toolName];
      if (!kind || a.metadata.lightbox?.locked || a.isLocked) continue;
      const imageId = a.metadata.referencedImageId;
      const where = loaded.map((l) => l.sopOf.get(imageId)).find(Boolean);
      if (!where) continue;
      const points = a.data.handles.points.map((p) => worldToImage(imageId, p).map((v) => Math.round(v * 100) / 100));
      const input = { instance: idOf.get(where.sop) || where.sop, frame: where.frame, kind, points };
      if (kind === 'ARROW' && (a.data.label || a.data.text)) input.text = a.data.label || a.data.text;
      out.push(input);
    }
    return out;
  }
  const onChange = () => options.onChange?.(annotations());
  if (options.onChange) {
    for (const ev of [ToolEvents.ANNOTATION_COMPLETED, ToolEvents.ANNOTATION_MODIFIED, ToolEvents.ANNOTATION_REMOVED]) {
      eventTarget.addEventListener(ev, onChange);
    }
  }

  /** Canvas (CSS pixel) position of image pixel [column, row] of viewport i's current image. */
  function imageToCanvas(i, point) {
    const vp = viewportOf(i);
    return vp.worldToCanvas(imageToWorld(vp.getCurrentImageId(), point));
  }
  /** Fetch and decode every frame of series s (what scrolling through it needs); resolves when all are
   * cached. `fresh` empties the image cache first (the benchmark's cold run). */
  function loadAll(s = 0, { fresh = false } = {}) {
    if (fresh) cache.purgeCache();
    return Promise.all(loaded[s].imageIds.map((imageId) => imageLoader.loadAndCacheImage(imageId)));
  }
  host.replaceChildren(element);
  await build(series.length > 1 && options.layout !== '1x1' ? '1x2' : '1x1');
  use(WindowLevelTool.toolName);
  let complete = Promise.resolve();
  if (partial.some(Boolean)) {
    complete = whole.then(async (all) => {
      all.forEach((l, i) => { loaded[i] = l; });
      await Promise.all(cells.map(async (c) => {
        const vp = engine.getViewport(c.viewportId);
        const at = Math.max(0, loaded[c.series].imageIds.indexOf(vp.getCurrentImageId()));
        await vp.setStack(loaded[c.series].imageIds, at);
        toolUtils.stackPrefetch.disable(c.element);
        toolUtils.stackPrefetch.enable(c.element);  // the prefetch follows the whole stack now
        vp.render();
      }));
      [...seriesSelect.options].forEach((o, i) => { o.textContent = `${series[i].label} (${loaded[i].imageIds.length})`; });
      say();
    });
  }
  await complete.catch(() => {});  // marks need every image's place; the first image is already shown
  if (options.annotations) showAnnotations(options.annotations, { locked: !options.editable });
  if (options.readOnlyAnnotations) showAnnotations(options.readOnlyAnnotations, { locked: true });
  // Someone else's marks beside the model answer's (the trainer marking a report): locked, in cyan.
  if (options.otherAnnotations) showAnnotations(options.otherAnnotations, { locked: true, color: 'rgb(0, 220, 255)' });
  function destroy() {
    if (options.onChange) for (const ev of [ToolEvents.ANNOTATION_COMPLETED, ToolEvents.ANNOTATION_MODIFIED, ToolEvents.ANNOTATION_REMOVED]) eventTarget.removeEventListener(ev, onChange);
    for (const c of cells) toolUtils.cine.stopClip(c.element);
    grid.removeEventListener('keydown', onKey);
    annotationApi.state.removeAllAnnotations();
    ToolGroupManager.destroyToolGroup(group.id);
    sliceSync.destroy();
    engine.destroy();
    cache.purgeCache();
  }
  const api = { element, destroy, annotations, showAnnotations, build, showSeries, use, preset, imageToCanvas, loadAll, engine, viewportIds: () => cells.map((c) => c.viewportId), mode: cpu ? 'cpu' : 'gpu', loaded };
  host.lightboxViewer = api;  // for tests and the benchmark, which read it from the page
  return api;
}
