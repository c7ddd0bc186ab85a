// A small GraphQL client: POST /graphql with the bearer token, coded errors, payload errors.
import { token, onSignedOut, onPasswordRequired } from './auth.js';

export class ApiError extends Error {
  constructor(message, code, details = []) {
    super(message);
    this.code = code || 'ERROR';
    this.details = details;
  }
}

/** Run an operation; resolves to `data`, rejects with ApiError (network, HTTP or GraphQL errors). */
export async function gql(query, variables = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }),
      credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError('The server could not be reached. Check the connection and try again.', 'NETWORK');
  }
  let body;
  try {
    body = await response.json();
  } catch (err) {
    throw new ApiError(`The server answered ${response.status} without a readable body.`, 'BAD_RESPONSE');
  }
  const errors = body.errors || [];
  if (response.status === 401 || errors.some((e) => e.extensions && e.extensions.code === 'UNAUTHENTICATED')) {
    onSignedOut('Your session has ended. Please sign in again.');
  } else if (errors.some((e) => e.extensions && e.extensions.code === 'PASSWORD_CHANGE_REQUIRED')) {
    onPasswordRequired();
  }
  if (errors.length) {
    const first = errors[0];
    const code = first.extensions && first.extensions.code;
    const extra = first.extensions && first.extensions.requestId ? ` (request ${first.extensions.requestId})` : '';
    throw new ApiError(errors.map((e) => e.message).join('; ') + extra, code, errors);
  }
  return body.data;
}

/** A mutation payload's errors as an ApiError, or null when it succeeded. */
export function payloadError(payload) {
  const errors = (payload && payload.errors) || [];
  if (!errors.length) return null;
  const message = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return new ApiError(message, errors[0].code, errors);
}

/** Run a mutation and return its payload, throwing its payload errors. */
export async function mutate(query, variables, key) {
  const data = await gql(query, variables);
  const payload = data[key];
  const error = payloadError(payload);
  if (error) throw error;
  return payload;
}

let caps = null;
const CAPS_QUERY = `query Capabilities {
  __schema { queryType { fields { name } } mutationType { fields { name } } }
  conn: __type(name: "CaseConnection") { fields { name } }
  wl: __type(name: "Worklist") { fields { name } }
}`;

/** Which root fields this server offers, so pages whose API has not landed say so instead of failing. */
export async function capabilities() {
  if (caps) return caps;
  try {
    const data = await gql(CAPS_QUERY);
    const names = (t) => new Set(((t && t.fields) || []).map((f) => f.name));
    caps = { query: names(data.__schema.queryType), mutation: names(data.__schema.mutationType),
      connection: names(data.conn), worklist: names(data.wl) };
  } catch (err) {
    // Introspection turned off: assume the contract's operations are there and let each page's
    // own request report what is missing.
    const all = { has: () => true };
    caps = { query: all, mutation: all, connection: { has: () => false }, worklist: { has: () => false } };
  }
  return caps;
}

export function resetCapabilities() { caps = null; }
