// The shell: routes, navigation per role, who is signed in, and page rendering with error display.
import { h, clear, showError, title } from './dom.js';
import * as auth from './auth.js';
import { route, match, setRenderer, interceptLinks, navigate, render } from './router.js';
import { resetCapabilities } from './gql.js';

route('/ui', () => import('./page_home.js'));
route('/ui/login', () => import('./page_login.js'), { public: true });
route('/ui/search', () => import('./page_search.js'));
route('/ui/cases/new', () => import('./page_edit.js'));
route('/ui/cases/:id', () => import('./page_case.js'));
route('/ui/cases/:id/edit', () => import('./page_edit.js'));
route('/ui/review', () => import('./page_review.js'));
route('/ui/upload', () => import('./page_upload.js'));
route('/ui/quarantine', () => import('./page_quarantine.js'));
route('/ui/worklists', () => import('./page_worklists.js'));
route('/ui/worklists/:id', () => import('./page_worklist.js'));
route('/ui/reporting', () => import('./page_assignments.js'));
route('/ui/reporting/:assignment', () => import('./page_reporting.js'));
route('/ui/progress', () => import('./page_progress.js'));
route('/ui/study', () => import('./page_study.js'));
route('/ui/study/progress', () => import('./page_study_progress.js'));
route('/ui/admin', () => import('./page_admin.js'));
route('/ui/password', () => import('./page_password.js'));
route('/ui/curriculum/retired', () => import('./page_retired_codes.js'));

const NAV = [
  { href: '/ui/', label: 'Home' },
  { href: '/ui/search', label: 'Search' },
  { href: '/ui/review', label: 'Review queue', when: auth.isValidator },
  { href: '/ui/cases/new', label: 'New case', when: auth.isEditor },
  { href: '/ui/upload', label: 'Upload', when: auth.isEditor },
  { href: '/ui/quarantine', label: 'Quarantine', when: auth.isEditor },
  { href: '/ui/worklists', label: 'Worklists', when: auth.isTrainer },
  { href: '/ui/reporting', label: 'Reporting room', when: auth.isTrainee },
  { href: '/ui/progress', label: 'Progress', when: () => auth.isTrainee() || auth.isTrainer() },
  { href: '/ui/study', label: 'Self-study', when: () => auth.isTrainee() || auth.isTrainer() },
  { href: '/ui/curriculum/retired', label: 'Retired codes', when: () => auth.isTrainer() || auth.isValidator() },
  { href: '/ui/admin', label: 'Administration', when: auth.isTrainer },
];

function active(href, pathname) {
  const base = href.replace(/\/$/, '');
  return base === '/ui' ? pathname === '/ui' || pathname === '/ui/' : pathname === base || pathname.startsWith(`${base}/`);
}

function renderShell(pathname) {
  const nav = clear(document.getElementById('nav'));
  const who = clear(document.getElementById('who'));
  const me = auth.user();
  if (!me) return;
  const items = NAV.filter((n) => !n.when || n.when()).map((n) => h('li', {},
    h('a', { href: n.href, 'aria-current': active(n.href, pathname) && !(n.href === '/ui/cases/new' && pathname !== n.href) ? 'page' : false }, n.label)));
  nav.append(h('ul', {}, items));
  who.append(h('span', { class: 'who-name' }, me.displayName),
    h('span', { class: 'who-roles' }, me.roles.join(', ')),
    h('a', { href: '/ui/password', class: 'who-password' }, 'Change password'),
    h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'));
}

async function signOut() {
  await auth.forget();
  resetCapabilities();
  navigate('/ui/login');
}

auth.setSignedOutHandler(async (message) => {
  await auth.forget();
  resetCapabilities();
  await navigate(`/ui/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  showError({ message });
});

auth.setPasswordRequiredHandler(() => {
  if (location.pathname === '/ui/password') return;
  navigate(`/ui/password?required=1&next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
});

setRenderer(async (pathname, query, alive) => {
  const main = document.getElementById('main');
  const found = match(pathname);
  if (!found) {
    renderShell(pathname);
    clear(main).append(h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, h('a', { href: '/ui/' }, 'Go to the home page')));
    title('Not found');
    return null;
  }
  if (!found.options.public && !auth.token()) {
    await navigate(`/ui/login?next=${encodeURIComponent(pathname + location.search)}`, { replace: true });
    return null;
  }
  renderShell(pathname);
  showError(null);
  clear(main).append(h('p', { class: 'loading', 'aria-busy': 'true' }, 'Loading…'));
  try {
    const page = await found.load();
    if (!alive()) return null;
    const view = h('div', { class: 'page' });
    const cleanup = await page.render(view, { params: found.params, query, alive, navigate });
    if (!alive()) { if (typeof cleanup === 'function') cleanup(); return null; }
    clear(main).append(view);
    const heading = main.querySelector('h1');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
    return cleanup;
  } catch (error) {
    if (!alive()) return null;
    clear(main).append(h('h1', { tabindex: '-1' }, 'Something went wrong'));
    showError(error);
    return null;
  }
});

interceptLinks();
render();
