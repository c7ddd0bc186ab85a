// The review queue: submitted cases a validator may validate, oldest first, with the decision inline.
import { h, clear, title, errorBox, announce, fmtDate, stateBadge, nextId } from './dom.js';
import { gql, mutate } from './gql.js';
import { REVIEW_QUEUE, TRANSITION } from './ops.js';

function row(kase, refresh) {
  const commentId = nextId('review-comment');
  const comment = h('textarea', { id: commentId, rows: 2, name: 'comment' });
  const out = h('div', { 'aria-live': 'polite' });
  const act = (transition) => async (e) => {
    clear(out);
    if (transition === 'REQUEST_CHANGES' && !comment.value.trim()) {
      out.append(errorBox({ message: 'Say what needs to change in the comment.' }));
      comment.focus();
      return;
    }
    e.currentTarget.disabled = true;
    try {
      await mutate(TRANSITION, { id: kase.id, transition, comment: comment.value.trim() || null }, 'transitionCase');
      announce(`${kase.title}: ${transition === 'VALIDATE' ? 'validated' : 'changes requested'}`);
      refresh();
    } catch (error) { out.append(errorBox(error)); e.currentTarget.disabled = false; }
  };
  const may = (t) => kase.availableTransitions.includes(t);
  return h('li', { class: 'card review-item' },
    kase.thumbnailUrl ? h('img', { class: 'thumb', src: kase.thumbnailUrl, alt: '', width: 96, height: 96 }) : h('div', { class: 'thumb thumb-empty', 'aria-hidden': 'true' }, 'No image'),
    h('div', { class: 'result-body' },
      h('h2', {}, h('a', { href: `/ui/cases/${encodeURIComponent(kase.id)}` }, kase.title || 'Untitled case'), ' ', stateBadge(kase.state)),
      h('p', { class: 'meta' }, `${kase.collection ? kase.collection.title : ''} · by ${kase.creator ? kase.creator.displayName : 'unknown'} · version ${kase.version} · ${fmtDate(kase.modifiedAt)}`),
      kase.curriculum && kase.curriculum.length ? h('ul', { class: 'codes' }, kase.curriculum.map((c) => h('li', {}, h('code', { title: c.title }, c.code)))) : null,
      may('VALIDATE') || may('REQUEST_CHANGES')
        ? h('div', {}, h('label', { for: commentId }, 'Comment'), comment,
          h('div', { class: 'buttons' },
            may('VALIDATE') ? h('button', { type: 'button', onclick: act('VALIDATE') }, 'Validate') : null,
            may('REQUEST_CHANGES') ? h('button', { type: 'button', class: 'secondary', onclick: act('REQUEST_CHANGES') }, 'Request changes') : null))
        : h('p', { class: 'muted' }, 'You wrote a version of this case, so another validator must review it (four eyes).'),
      out));
}

export async function render(view) {
  title('Review queue');
  const list = h('ol', { class: 'review-list', 'aria-labelledby': 'review-h' });
  const summary = h('p', { class: 'summary' });
  async function refresh() {
    const data = await gql(REVIEW_QUEUE);
    summary.textContent = data.reviewQueue.length ? `${data.reviewQueue.length} case${data.reviewQueue.length === 1 ? '' : 's'} waiting, oldest first.`
      : 'Nothing is waiting for review.';
    clear(list).append(...data.reviewQueue.map((k) => row(k, () => refresh().catch((e) => list.before(errorBox(e))))));
  }
  view.append(h('h1', { id: 'review-h' }, 'Review queue'), summary, list);
  await refresh();
}
