// Administration: collections and their local roles, people and their roles, cohorts, API tokens, VLE platforms.
// Each section appears when the server's API offers it and the signed-in person may use it; the
// server checks every change anyway, and its coded errors are shown where the change was asked.
import { h, clear, title, errorBox, field, announce, fmtDate } from './dom.js';
import { gql, mutate, capabilities } from './gql.js';
import * as auth from './auth.js';
import { ltiSection } from './lti_platforms.js';
import {
  COLLECTIONS, CREATE_COLLECTION, ME, USERS, CREATE_USER, UPDATE_USER, COHORTS, CREATE_COHORT, ADD_TO_COHORT,
  REMOVE_FROM_COHORT, LOCAL_ROLES, GRANT_LOCAL_ROLE, REVOKE_LOCAL_ROLE, API_TOKENS, CREATE_API_TOKEN, REVOKE_API_TOKEN,
  RESET_PASSWORD,
} from './ops.js';

const ROLES = ['administrator', 'trainer', 'validator', 'contributor', 'trainee'];
const LOCAL_ROLES_OFFERED = ['trainer', 'validator', 'contributor', 'trainee'];

function card(id, heading, ...children) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, heading), ...children);
}

/** A region whose content is rebuilt by `load`, with errors shown inside it. */
function panel(load) {
  const box = h('div', { 'aria-live': 'polite' });
  const refresh = async () => {
    try { clear(box).append(await load(refresh)); } catch (error) { clear(box).append(errorBox(error)); }
  };
  refresh();
  return box;
}

/** Run a change, show its error under the form or announce success and refresh. */
async function change(out, run, done) {
  clear(out);
  try {
    const payload = await run();
    if (done) await done(payload);
  } catch (error) { out.append(errorBox(error)); }
}

function roleBoxes(name, selected) {
  return h('fieldset', { class: 'roles' }, h('legend', {}, 'Roles'),
    ROLES.map((role) => h('label', { class: 'radio' },
      h('input', { type: 'checkbox', name, value: role, checked: selected.includes(role) }), ` ${role}`)));
}

const checkedRoles = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);

// Collections -------------------------------------------------------------------------------------

function collectionsSection(list, refresh) {
  const depth = (c) => c.path.split('/').length - 2;
  const parent = h('select', { name: 'parent' }, h('option', { value: '' }, 'The region root'),
    list.map((c) => h('option', { value: c.id }, c.path)));
  const name = h('input', { name: 'title', required: true });
  const slug = h('input', { name: 'slug', pattern: '[a-z0-9-]+' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    change(out, () => mutate(CREATE_COLLECTION, { input: { title: name.value.trim(), parent: parent.value || null, slug: slug.value.trim() || null } }, 'createCollection'),
      (payload) => { announce(`Created ${payload.collection.path}`); refresh(); });
  } }, field('Inside', parent), field('Title', name), field('Path segment (optional)', slug), h('button', { type: 'submit' }, 'Create collection'));
  return h('div', {},
    h('table', {}, h('thead', {}, h('tr', {}, ['Collection', 'Path', 'Cases you can see'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, [...list].sort((a, b) => a.path.localeCompare(b.path)).map((c) => h('tr', {},
        h('td', { class: `indent-${Math.min(depth(c), 4)}` }, h('a', { href: `/ui/search?collection=${encodeURIComponent(c.id)}` }, c.title)),
        h('td', {}, h('code', {}, c.path)), h('td', {}, String(c.caseCount)))))),
    h('h3', {}, 'New collection'), form, out);
}

// Local roles ---------------------------------------------------------------------------------------

function localRolesSection(collections, people, cohorts) {
  const which = h('select', { name: 'collection' }, [...collections].sort((a, b) => a.path.localeCompare(b.path))
    .map((c) => h('option', { value: c.id }, c.path)));
  const box = h('div', { 'aria-live': 'polite' });
  const show = async () => {
    clear(box);
    if (!which.value) return;
    let grants;
    try { grants = (await gql(LOCAL_ROLES, { collection: which.value })).localRoles; } catch (error) { box.append(errorBox(error)); return; }
    const out = h('div', { 'aria-live': 'polite' });
    const who = (g) => (g.user ? `${g.user.displayName} (${g.user.username})` : `cohort ${g.cohort.title}`);
    const rows = grants.map((g) => h('tr', {}, h('td', {}, who(g)), h('td', {}, g.role),
      h('td', {}, h('button', { type: 'button', class: 'link', 'aria-label': `Revoke ${g.role} from ${who(g)}`,
        onclick: () => change(out, () => mutate(REVOKE_LOCAL_ROLE, { input: { grant: g.id } }, 'revokeLocalRole'),
          () => { announce(`Revoked ${g.role} from ${who(g)}`); show(); }) }, 'Revoke'))));
    const role = h('select', { name: 'role' }, LOCAL_ROLES_OFFERED.map((r) => h('option', { value: r }, r)));
    const grantee = h('select', { name: 'grantee' },
      h('optgroup', { label: 'People' }, people.map((p) => h('option', { value: `user:${p.id}` }, `${p.displayName} (${p.username})`))),
      h('optgroup', { label: 'Cohorts' }, cohorts.map((c) => h('option', { value: `cohort:${c.id}` }, c.title))));
    const form = h('form', { class: 'inline-form', onsubmit: (e) => {
      e.preventDefault();
      const [kind, id] = grantee.value.split(/:(.*)/s);
      const input = { collection: which.value, role: role.value, user: kind === 'user' ? id : null, cohort: kind === 'cohort' ? id : null };
      change(out, () => mutate(GRANT_LOCAL_ROLE, { input }, 'grantLocalRole'), () => { announce(`Granted ${role.value}`); show(); });
    } }, field('Role', role), field('To', grantee), h('button', { type: 'submit' }, 'Grant role here'));
    box.append(grants.length
      ? h('table', { class: 'local-roles' }, h('thead', {}, h('tr', {}, ['Who', 'Role', ''].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows))
      : h('p', { class: 'muted' }, 'No local roles here: only global roles and those inherited from above apply.'),
    form, out);
  };
  which.addEventListener('change', show);
  show();
  return h('div', {}, h('p', { class: 'lead' }, 'A role granted on a collection holds in it and in everything below it.'),
    field('Collection', which), box);
}

// People ----------------------------------------------------------------------------------------------

function userRow(u, me, refresh) {
  const out = h('div', { 'aria-live': 'polite' });
  const edit = h('td', {});
  const open = () => {
    const name = h('input', { name: 'displayName', value: u.displayName, required: true });
    const active = h('input', { type: 'checkbox', name: 'active', checked: u.active });
    const form = h('form', { class: 'edit-user', onsubmit: (e) => {
      e.preventDefault();
      const input = { id: u.id, displayName: name.value.trim(), roles: checkedRoles(form, `roles-${u.id}`), active: active.checked };
      change(out, () => mutate(UPDATE_USER, { input }, 'updateUser'), () => { announce(`Saved ${u.username}`); refresh(); });
    } }, field('Display name', name), roleBoxes(`roles-${u.id}`, u.roles),
    h('label', { class: 'radio' }, active, ' Active (may sign in)'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, `Save ${u.username}`),
      u.id === me.id ? null : h('button', { type: 'button', class: 'secondary', onclick: () => resetPassword(u, out) },
        `Reset ${u.username}'s password`),
      h('button', { type: 'button', class: 'link', onclick: () => { clear(edit).append(button); } }, 'Cancel')), out);
    clear(edit).append(form);
    name.focus();
  };
  const button = h('button', { type: 'button', class: 'link', 'aria-label': `Edit ${u.username}`, onclick: open }, 'Edit');
  edit.append(button);
  return h('tr', { class: u.active ? '' : 'inactive' },
    h('td', {}, h('strong', {}, u.username), u.id === me.id ? h('span', { class: 'muted' }, ' (you)') : null),
    h('td', {}, u.displayName), h('td', {}, u.roles.join(', ')),
    h('td', {}, u.cohorts.map((c) => c.title).join(', ')),
    h('td', {}, u.active ? 'Active' : h('span', { class: 'warn' }, 'Deactivated')), edit);
}

/** A one-time password for someone, shown this once; their sessions and API tokens end at once. */
function resetPassword(u, out) {
  if (!window.confirm(`Reset ${u.username}'s password? They are signed out everywhere, their API tokens are revoked, `
    + 'and they must choose a new password when they next sign in.')) return;
  change(out, () => mutate(RESET_PASSWORD, { user: u.id }, 'resetPassword'), (payload) => {
    announce(`Reset ${u.username}'s password`);
    out.append(h('div', { class: 'notice', role: 'status' },
      `${u.username}'s one-time password, shown this once (they choose their own when signing in): `,
      h('code', { class: 'secret' }, payload.temporaryPassword)));
  });
}

function usersSection(me) {
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Username or name' });
  const role = h('select', { name: 'role' }, h('option', { value: '' }, 'Any role'), ROLES.map((r) => h('option', { value: r }, r)));
  const inactive = h('input', { type: 'checkbox', name: 'includeInactive' });
  let reload = () => {};
  const list = panel(async (refresh) => {
    reload = refresh;
    const { users } = await gql(USERS, { search: search.value.trim() || null, role: role.value || null, includeInactive: inactive.checked });
    if (!users.length) return h('p', { class: 'muted' }, 'Nobody matches.');
    return h('div', { class: 'table-wrap' }, h('table', { class: 'users' },
      h('thead', {}, h('tr', {}, ['Username', 'Name', 'Roles', 'Cohorts', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, users.map((u) => userRow(u, me, refresh)))));
  });
  const filters = h('form', { class: 'inline-form', role: 'search', onsubmit: (e) => { e.preventDefault(); reload(); } },
    field('Find', search), field('Role', role), h('label', { class: 'radio' }, inactive, ' Include deactivated'),
    h('button', { type: 'submit' }, 'Find people'));

  const username = h('input', { name: 'username', required: true, autocomplete: 'off', pattern: '[A-Za-z0-9._\\-]+' });
  const display = h('input', { name: 'displayName' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'edit-form narrow', onsubmit: (e) => {
    e.preventDefault();
    const input = { username: username.value.trim(), displayName: display.value.trim() || null,
      roles: checkedRoles(form, 'new-roles'), password: password.value || null };
    change(out, () => mutate(CREATE_USER, { input }, 'createUser'), (payload) => {
      announce(`Created ${payload.user.username}`);
      if (payload.password) {
        out.append(h('div', { class: 'notice', role: 'status' }, `${payload.user.username}'s first password, shown this once: `,
          h('code', { class: 'secret' }, payload.password)));
      }
      form.reset();
      form.querySelector('input[name="new-roles"][value="trainee"]').checked = true;
      reload();
    });
  } }, field('Username', username), field('Display name', display), roleBoxes('new-roles', ['trainee']),
  field('Password', password, 'Leave empty to have one generated and shown once.'), h('button', { type: 'submit' }, 'Add person'));
  return h('div', {}, filters, list, h('h3', {}, 'Add a person'), form, out);
}

// Cohorts ----------------------------------------------------------------------------------------------

function cohortCard(c, people, refresh) {
  const out = h('div', { 'aria-live': 'polite' });
  const members = new Set(c.members.map((m) => m.id));
  const candidates = people.filter((p) => !members.has(p.id));
  const pick = h('select', { name: 'member' }, candidates.map((p) => h('option', { value: p.id }, `${p.displayName} (${p.username}, ${p.roles.join('/')})`)));
  const add = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    if (!pick.value) return;
    change(out, () => mutate(ADD_TO_COHORT, { input: { cohort: c.id, user: pick.value } }, 'addToCohort'),
      () => { announce(`Added to ${c.title}`); refresh(); });
  } }, field(`Add to ${c.title}`, pick), h('button', { type: 'submit', disabled: !candidates.length }, 'Add member'));
  return h('div', { class: 'cohort' }, h('h3', {}, c.title, h('span', { class: 'muted' }, ` · ${c.members.length} ${c.members.length === 1 ? 'member' : 'members'}`)),
    c.members.length ? h('ul', { class: 'plain-list' }, c.members.map((m) => h('li', {}, `${m.displayName} (${m.username}, ${m.roles.join('/')}) `,
      h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${m.username} from ${c.title}`,
        onclick: () => change(out, () => mutate(REMOVE_FROM_COHORT, { input: { cohort: c.id, user: m.id } }, 'removeFromCohort'),
          () => { announce(`Removed ${m.username}`); refresh(); }) }, 'Remove'))))
      : h('p', { class: 'muted' }, 'No members yet.'),
    add, out);
}

function cohortsSection(canListPeople) {
  let reload = () => {};
  const list = panel(async (refresh) => {
    reload = refresh;
    const [{ cohorts }, people] = await Promise.all([gql(COHORTS),
      canListPeople ? gql(USERS, {}).then((d) => d.users) : Promise.resolve([])]);
    if (!cohorts.length) return h('p', { class: 'muted' }, 'No cohorts yet.');
    return h('div', {}, cohorts.map((c) => cohortCard(c, people, refresh)));
  });
  const name = h('input', { name: 'title', required: true, placeholder: 'e.g. ST2 2027' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    change(out, () => mutate(CREATE_COHORT, { input: { title: name.value.trim() } }, 'createCohort'),
      (payload) => { announce(`Created cohort ${payload.cohort.title}`); form.reset(); reload(); });
  } }, field('New cohort', name), h('button', { type: 'submit' }, 'Create cohort'));
  return h('div', {}, list, form, out);
}

// API tokens ---------------------------------------------------------------------------------------------

function tokensSection(collections) {
  const showRevoked = h('input', { type: 'checkbox', name: 'includeRevoked' });
  let reload = () => {};
  const list = panel(async (refresh) => {
    reload = refresh;
    const { apiTokens } = await gql(API_TOKENS, { includeRevoked: showRevoked.checked });
    if (!apiTokens.length) return h('p', { class: 'muted' }, 'No API tokens.');
    const out = h('div', { 'aria-live': 'polite' });
    return h('div', { class: 'table-wrap' }, h('table', { class: 'tokens' },
      h('thead', {}, h('tr', {}, ['Name', 'Starts with', 'Scope', 'Reads', 'Created', 'Last used', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, apiTokens.map((t) => h('tr', { class: t.revoked ? 'inactive' : '' },
        h('td', {}, t.name), h('td', {}, h('code', {}, `${t.prefix}…`)), h('td', {}, t.scope),
        h('td', {}, t.partner ? `partner ${t.partner.name}` : (t.collectionPath || 'everything its account may read')),
        h('td', {}, fmtDate(t.createdAt)), h('td', {}, t.lastUsed ? fmtDate(t.lastUsed) : 'never'),
        h('td', {}, t.revoked ? h('span', { class: 'warn' }, 'Revoked') : h('button', { type: 'button', class: 'link', 'aria-label': `Revoke token ${t.name}`,
          onclick: () => {
            if (!window.confirm(`Revoke the token “${t.name}”? Systems using it stop working at once.`)) return;
            change(out, () => mutate(REVOKE_API_TOKEN, { input: { id: t.id } }, 'revokeApiToken'), () => { announce(`Revoked ${t.name}`); refresh(); });
          } }, 'Revoke')))))), out);
  });
  showRevoked.addEventListener('change', () => reload());
  const name = h('input', { name: 'name', required: true, placeholder: 'e.g. Hull school viewer' });
  const scope = h('select', { name: 'scope' }, h('option', { value: 'read' }, 'read'), h('option', { value: 'write' }, 'write'));
  const within = h('select', { name: 'collection' }, h('option', { value: '' }, 'No limit'),
    [...collections].sort((a, b) => a.path.localeCompare(b.path)).map((c) => h('option', { value: c.id }, c.path)));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    change(out, () => mutate(CREATE_API_TOKEN, { input: { name: name.value.trim(), scope: scope.value, collection: within.value || null } }, 'createApiToken'),
      (payload) => {
        out.append(h('div', { class: 'notice', role: 'status' }, `Token “${payload.apiToken.name}”, shown this once; only its hash is kept: `,
          h('code', { class: 'secret' }, payload.token)));
        form.reset();
        reload();
      });
  } }, field('Name', name), field('Scope', scope), field('Limited to', within), h('button', { type: 'submit' }, 'Create token'));
  return h('div', {}, h('label', { class: 'radio' }, showRevoked, ' Show revoked tokens'), list,
    h('h3', {}, 'New token'), form, out,
    h('p', { class: 'hint' }, 'Partner schools get read tokens for their own collections with lightbox token create --partner.'));
}

// The page ------------------------------------------------------------------------------------------------

export async function render(view) {
  title('Administration');
  const [caps, data, me] = await Promise.all([capabilities(), gql(COLLECTIONS), gql(ME)]);
  const offers = (name) => caps.query.has(name) || caps.mutation.has(name);
  const admin = auth.isAdmin();
  const collections = panel(async (refresh) => collectionsSection((await gql(COLLECTIONS)).collections, refresh));
  view.append(h('h1', {}, 'Administration'),
    card('acct-h', 'Your account', h('dl', { class: 'fields' }, h('dt', {}, 'Username'), h('dd', {}, me.me.username),
      h('dt', {}, 'Roles'), h('dd', {}, me.me.roles.join(', ')),
      h('dt', {}, 'Cohorts'), h('dd', {}, me.me.cohorts.map((c) => c.title).join(', ') || 'None'))),
    card('coll-h', 'Collections', collections));
  if (offers('localRoles')) {
    const [people, cohorts] = await Promise.all([
      offers('users') ? gql(USERS, {}).then((d) => d.users).catch(() => []) : [],
      offers('cohorts') ? gql(COHORTS).then((d) => d.cohorts).catch(() => []) : []]);
    view.append(card('roles-h', 'Local roles', localRolesSection(data.collections, people, cohorts)));
  }
  if (offers('cohorts')) view.append(card('cohorts-h', 'Cohorts', cohortsSection(offers('users'))));
  if (admin && offers('users')) view.append(card('people-h', 'People and roles', usersSection(me.me)));
  if (admin && offers('apiTokens')) view.append(card('tokens-h', 'API tokens', tokensSection(data.collections)));
  if (admin && offers('ltiPlatforms')) view.append(card('lti-h', 'VLE platforms (LTI 1.3)', ltiSection()));
  if (!offers('users')) view.append(h('p', { class: 'muted' }, 'This server\'s API does not offer people management; use the lightbox command line.'));
}
