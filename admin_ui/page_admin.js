// Administration: collections (what the API offers today), your account, and which management
// operations this server has, so a missing one is visible rather than a dead button.
import { h, clear, title, errorBox, field, announce } from './dom.js';
import { gql, mutate, capabilities } from './gql.js';
import { COLLECTIONS, CREATE_COLLECTION, ME } from './ops.js';

const MANAGEMENT = [
  ['Users', ['users', 'createUser', 'updateUser', 'deactivateUser']],
  ['Global roles', ['grantRole', 'revokeRole', 'setRoles']],
  ['Cohorts', ['cohorts', 'createCohort', 'addToCohort', 'removeFromCohort']],
  ['Local roles on collections', ['localRoles', 'grantLocalRole', 'revokeLocalRole']],
  ['API tokens', ['apiTokens', 'createApiToken', 'revokeApiToken']],
];

function collections(list, refresh) {
  const depth = (c) => c.path.split('/').length - 2;
  const parent = h('select', { name: 'parent' }, h('option', { value: '' }, 'The region root'),
    list.map((c) => h('option', { value: c.id }, c.path)));
  const name = h('input', { name: 'title', required: true });
  const slug = h('input', { name: 'slug', pattern: '[a-z0-9-]+' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    clear(out);
    try {
      const payload = await mutate(CREATE_COLLECTION, { input: { title: name.value.trim(), parent: parent.value || null, slug: slug.value.trim() || null } }, 'createCollection');
      announce(`Created ${payload.collection.path}`);
      refresh();
    } catch (error) { out.append(errorBox(error)); }
  } }, field('Inside', parent), field('Title', name), field('Path segment (optional)', slug), h('button', { type: 'submit' }, 'Create collection'));
  return h('section', { class: 'card', 'aria-labelledby': 'coll-h' }, h('h2', { id: 'coll-h' }, 'Collections'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Collection', 'Path', 'Cases you can see'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, [...list].sort((a, b) => a.path.localeCompare(b.path)).map((c) => h('tr', {},
        h('td', { class: `indent-${Math.min(depth(c), 4)}` }, h('a', { href: `/ui/search?collection=${encodeURIComponent(c.id)}` }, c.title)),
        h('td', {}, h('code', {}, c.path)), h('td', {}, String(c.caseCount)))))),
    h('h3', {}, 'New collection'), form, out);
}

export async function render(view) {
  title('Administration');
  const [caps, data, me] = await Promise.all([capabilities(), gql(COLLECTIONS), gql(ME)]);
  const box = h('div', {});
  const refresh = async () => {
    try { clear(box).append(collections((await gql(COLLECTIONS)).collections, refresh)); } catch (error) { box.append(errorBox(error)); }
  };
  box.append(collections(data.collections, refresh));
  const offered = (names) => names.filter((n) => caps.query.has(n) || caps.mutation.has(n));
  view.append(h('h1', {}, 'Administration'), box,
    h('section', { class: 'card', 'aria-labelledby': 'acct-h' }, h('h2', { id: 'acct-h' }, 'Your account'),
      h('dl', { class: 'fields' }, h('dt', {}, 'Username'), h('dd', {}, me.me.username), h('dt', {}, 'Roles'), h('dd', {}, me.me.roles.join(', ')),
        h('dt', {}, 'Cohorts'), h('dd', {}, me.me.cohorts.map((c) => c.title).join(', ') || 'None'))),
    h('section', { class: 'card', 'aria-labelledby': 'mgmt-h' }, h('h2', { id: 'mgmt-h' }, 'People, roles and tokens'),
      h('p', {}, 'These are managed with the lightbox command line until this server\'s GraphQL API offers them.'),
      h('table', { class: 'capabilities' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Area'), h('th', { scope: 'col' }, 'In this server\'s API'))),
        h('tbody', {}, MANAGEMENT.map(([area, names]) => {
          const have = offered(names);
          return h('tr', {}, h('th', { scope: 'row' }, area), h('td', {}, have.length ? `Yes: ${have.join(', ')}` : 'Not yet'));
        })))));
}
