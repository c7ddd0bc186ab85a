// Change your own password. Every other session of yours ends; this tab carries on with the new
// session the server answers with. After an administrator's reset, sign-in lands here first
// (?required=1): until a new password is chosen the session may do nothing else.
import { h, field, errorBox, title, announce } from './dom.js';
import { gql, mutate } from './gql.js';
import { remember, user } from './auth.js';
import { CHANGE_PASSWORD, ME } from './ops.js';

const MESSAGES = {
  INVALID_CREDENTIALS: 'The current password is not right.',
  PASSWORD_TOO_SHORT: null, // the server's message names the configured length
  PASSWORD_TOO_COMMON: 'That password is among the most common ones: choose another.',
  TOO_MANY_ATTEMPTS: 'Too many attempts: wait a minute before trying again.',
};

export function render(view, { query, navigate }) {
  title('Change password');
  const required = query.get('required') === '1';
  const current = h('input', { name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true });
  const fresh = h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', required: true, minlength: 1 });
  const again = h('input', { name: 'confirmPassword', type: 'password', autocomplete: 'new-password', required: true });
  const problems = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Change password');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'password-title' },
    field(required ? 'One-time password' : 'Current password', current),
    field('New password', fresh, 'At least 12 characters, and not one of the commonest passwords. A few words in a row work well.'),
    field('New password again', again), problems, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problems.replaceChildren();
    if (fresh.value !== again.value) {
      problems.append(errorBox({ message: 'The two new passwords differ.' }));
      again.select();
      return;
    }
    submit.disabled = true;
    try {
      const payload = await mutate(CHANGE_PASSWORD, { current: current.value, new: fresh.value }, 'changePassword');
      await remember(payload.token, user());
      const me = (await gql(ME)).me;
      await remember(payload.token, { id: me.id, username: me.username, displayName: me.displayName, roles: me.roles });
      form.reset();
      announce('Password changed. Your other sessions have ended.');
      if (required) {
        const next = query.get('next');
        navigate(next && next.startsWith('/ui') && !next.startsWith('/ui/login') ? next : '/ui/', { replace: true });
        return;
      }
      form.replaceWith(h('div', { class: 'notice', role: 'status' },
        'Password changed. Every other session of yours has ended; this one carries on.'));
    } catch (error) {
      const message = MESSAGES[error.code] || error.message;
      problems.append(errorBox({ message, code: error.code }));
      (error.code === 'INVALID_CREDENTIALS' ? current : fresh).select();
    } finally {
      submit.disabled = false;
    }
  });
  view.append(h('h1', { id: 'password-title' }, required ? 'Choose a new password' : 'Change your password'),
    h('p', { class: 'lead' }, required
      ? 'Your password was reset by an administrator. Choose your own to finish signing in.'
      : 'Changing it signs you out everywhere else.'),
    form);
  window.setTimeout(() => current.focus(), 0);
}
