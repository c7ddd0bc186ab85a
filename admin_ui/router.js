// Client-side routes under /ui (history API); the server answers every route with index.html.
const routes = [];
let cleanup = null;
let renderToken = 0;
let renderer = null;

export function route(pattern, load, options = {}) {
  const keys = [];
  const source = pattern.replace(/:(\w+)/g, (_, key) => { keys.push(key); return '([^/]+)'; });
  routes.push({ regex: new RegExp(`^${source}/?$`), keys, load, options });
}

export function match(pathname) {
  for (const r of routes) {
    const m = r.regex.exec(pathname);
    if (m) {
      const params = {};
      r.keys.forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      return { ...r, params };
    }
  }
  return null;
}

export function setRenderer(fn) { renderer = fn; }

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', url);
  else history.pushState({}, '', url);
  return render();
}

export async function render() {
  renderToken += 1;
  const mine = renderToken;
  if (typeof cleanup === 'function') {
    try { cleanup(); } catch (err) { /* a page's cleanup must not block the next page */ }
  }
  cleanup = null;
  const result = await renderer(location.pathname, new URLSearchParams(location.search), () => mine === renderToken);
  if (mine === renderToken) cleanup = result;
}

/** Follow same-origin /ui links without reloading; modified clicks keep their browser meaning. */
export function interceptLinks() {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = event.target.closest('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/ui') || url.pathname.startsWith('/ui/static/')) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => render());
}
