// Who is signed in: the bearer token and user live in sessionStorage (per tab); the media cookie
// (HttpOnly, for <img> tags) is set by POST /ui/session; DELETE /ui/session ends the session itself.
const TOKEN_KEY = 'lightbox.token';
const USER_KEY = 'lightbox.user';
let signedOutHandler = () => {};

export function token() { return sessionStorage.getItem(TOKEN_KEY); }

export function user() {
  try { return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null'); } catch (err) { return null; }
}

export function hasRole(...roles) {
  const me = user();
  return Boolean(me && me.roles.some((r) => roles.includes(r.toLowerCase())));
}

export const isTrainer = () => hasRole('administrator', 'trainer');
export const isValidator = () => hasRole('administrator', 'validator');
export const isEditor = () => hasRole('administrator', 'trainer', 'validator', 'contributor');
export const isTrainee = () => hasRole('trainee');
export const isAdmin = () => hasRole('administrator');

export async function remember(bearer, person) {
  sessionStorage.setItem(TOKEN_KEY, bearer);
  sessionStorage.setItem(USER_KEY, JSON.stringify(person));
  const response = await fetch('/ui/session', { method: 'POST', credentials: 'same-origin',
    headers: { Authorization: `Bearer ${bearer}` } });
  if (!response.ok) throw new Error('Signed in, but the image session could not be opened.');
}

/** Sign out: the server ends the session (the token and the media cookie stop working), then this tab forgets it. */
export async function forget() {
  const bearer = token();
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  const headers = bearer ? { Authorization: `Bearer ${bearer}` } : {};
  try { await fetch('/ui/session', { method: 'DELETE', credentials: 'same-origin', headers }); } catch (err) { /* offline */ }
}

export function setSignedOutHandler(fn) { signedOutHandler = fn; }
let passwordRequiredHandler = () => {};
/** After an administrator's reset, every request but changing the password answers PASSWORD_CHANGE_REQUIRED. */
export function setPasswordRequiredHandler(fn) { passwordRequiredHandler = fn; }
export function onPasswordRequired() { if (token()) passwordRequiredHandler(); }
export function onSignedOut(message) { if (token()) signedOutHandler(message); }
