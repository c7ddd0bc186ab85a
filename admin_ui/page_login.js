// Sign in: username and password for a bearer token, then the media cookie, then where you were going.
import { h, field, errorBox, title } from './dom.js';
import { gql, payloadError } from './gql.js';
import { remember } from './auth.js';
import { LOGIN } from './ops.js';

export function render(view, { query, navigate }) {
  title('Sign in');
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const problems = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'login-title' },
    field('Username', username), field('Password', password), problems, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problems.replaceChildren();
    submit.disabled = true;
    try {
      const data = await gql(LOGIN, { username: username.value.trim(), password: password.value });
      const error = payloadError(data.login);
      const next = query.get('next');
      if (error && error.code === 'PASSWORD_CHANGE_REQUIRED' && data.login.token) {
        // A reset password: the session may only choose a new one, so it holds no roles until then.
        await remember(data.login.token, { ...data.login.user, roles: [] });
        navigate(`/ui/password?required=1${next ? `&next=${encodeURIComponent(next)}` : ''}`, { replace: true });
        return;
      }
      if (error) throw error;
      await remember(data.login.token, data.login.user);
      navigate(next && next.startsWith('/ui') && !next.startsWith('/ui/login') ? next : '/ui/', { replace: true });
    } catch (error) {
      const message = error.code === 'INVALID_CREDENTIALS' ? 'The username or password is not right.'
        : error.code === 'TOO_MANY_ATTEMPTS' ? 'Too many attempts: wait a minute before trying again.' : error.message;
      problems.append(errorBox({ message, code: error.code }));
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  view.append(h('h1', { id: 'login-title' }, 'Sign in to Lightbox'),
    h('p', { class: 'lead' }, 'The teaching-case archive of the regional school of radiology.'), form);
  window.setTimeout(() => username.focus(), 0);
}
