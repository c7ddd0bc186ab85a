// Home: what each role does first, with live counts where the API gives them cheaply.
import { h, title, stateBadge } from './dom.js';
import { gql, capabilities } from './gql.js';
import { user, isTrainer, isValidator, isTrainee, isAdmin, isEditor } from './auth.js';
import { MY_ASSIGNMENTS } from './ops.js';

function tile(href, heading, text, count) {
  return h('li', { class: 'tile' }, h('a', { href }, h('span', { class: 'tile-title' }, heading),
    count !== undefined ? h('span', { class: 'tile-count' }, String(count)) : null,
    h('span', { class: 'tile-text' }, text)));
}

async function counts() {
  const caps = await capabilities();
  const out = {};
  const jobs = [];
  if (isValidator()) jobs.push(gql('query { reviewQueue(first: 50) { id } }').then((d) => { out.review = d.reviewQueue.length; }));
  if (isEditor()) {
    jobs.push(gql(`query { cases(first: 5, search: {states: [DRAFT], orderBy: NEWEST}) {
      totalCount edges { node { id title state } } } }`).then((d) => { out.drafts = d.cases; }));
  }
  if (isTrainee() && caps.query.has('myAssignments')) {
    jobs.push(gql(MY_ASSIGNMENTS).then((d) => {
      out.open = d.myAssignments.filter((a) => a.completedCount < a.totalCount).length;
    }));
  }
  await Promise.allSettled(jobs);
  return { ...out, caps };
}

export async function render(view) {
  const me = user();
  title('Home');
  const c = await counts();
  const tiles = [tile('/ui/search', 'Search the archive', 'Full text, curriculum codes and filters.')];
  if (isTrainee()) {
    tiles.unshift(tile('/ui/reporting', 'Reporting room', 'Your assigned worklists, reported blind.', c.open === undefined ? undefined : `${c.open} open`));
    tiles.push(tile('/ui/progress', 'My progress', 'Completion, scores and curriculum coverage.'));
  }
  if (isValidator()) tiles.unshift(tile('/ui/review', 'Review queue', 'Submitted cases waiting for validation.', c.review === undefined ? undefined : `${c.review} waiting`));
  if (isEditor()) {
    tiles.push(tile('/ui/cases/new', 'New case', 'Write a teaching case in a collection.'));
    tiles.push(tile('/ui/upload', 'Upload DICOM', 'Import a study (files or a zip) into a collection.'));
  }
  if (isTrainer()) {
    tiles.push(tile('/ui/worklists', 'Worklists', 'Build a worklist from a search and assign it to a cohort.'));
    tiles.push(tile('/ui/progress', 'Trainee progress', 'Completion, scores and the archive\'s gaps.'));
  }
  if (isAdmin() || isTrainer()) tiles.push(tile('/ui/admin', 'Administration', 'Collections, and what this server lets you manage.'));
  view.append(h('h1', {}, `Welcome, ${me.displayName}`),
    h('p', { class: 'lead' }, `Signed in as ${me.username} (${me.roles.join(', ')}).`),
    h('ul', { class: 'tiles' }, tiles));
  if (c.drafts && c.drafts.edges.length) {
    view.append(h('section', { 'aria-labelledby': 'drafts-h' }, h('h2', { id: 'drafts-h' }, `Drafts (${c.drafts.totalCount})`),
      h('ul', { class: 'plain-list' }, c.drafts.edges.map(({ node }) => h('li', {},
        h('a', { href: `/ui/cases/${encodeURIComponent(node.id)}` }, node.title || 'Untitled'), ' ', stateBadge(node.state))))));
  }
}
