// The quarantine queue: every image held for burned-in text that the caller may review, by case.
import { h, clear, title, errorBox } from './dom.js';
import { heldImages, reviewer } from './quarantine.js';

export async function render(view, { navigate }) {
  title('Quarantine');
  const summary = h('p', { class: 'summary' });
  const list = h('ul', { class: 'quarantine-list card quarantine' });
  const reload = () => navigate(location.pathname, { replace: true });
  view.append(h('h1', {}, 'Quarantine'),
    h('p', {}, 'Images that may show burned-in patient details wait here until a person with edit rights on their case '
      + 'checks them at full size: blank the text (redact), release an image that shows none, or reject it.'),
    summary, list);
  try {
    const images = await heldImages();
    summary.textContent = images.length ? `${images.length} image${images.length === 1 ? '' : 's'} held.` : 'No image is held.';
    clear(list).append(...images.map((image) => reviewer(image, reload, { withCase: true })));
    if (!images.length) list.remove();
  } catch (error) { view.append(errorBox(error)); }
}
