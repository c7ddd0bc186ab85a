// Administration: VLE platforms that launch Lightbox over LTI 1.3 (administrators). The tool's own
// addresses are shown for the VLE's side of the registration; the server checks every change.
import { h, clear, errorBox, field, announce, fmtDate } from './dom.js';
import { gql, mutate } from './gql.js';

export const LTI_PLATFORMS = `query LtiPlatforms {
  ltiPlatforms { id issuer clientId name authUrl tokenUrl jwksUrl deploymentIds createdAt }
}`;

export const REGISTER_LTI_PLATFORM = `mutation RegisterLtiPlatform($input: RegisterLtiPlatformInput!) {
  registerLtiPlatform(input: $input) { platform { id issuer clientId deploymentIds } errors { field message code } }
}`;

function toolAddresses() {
  const base = location.origin;
  return h('dl', { class: 'fields' },
    h('dt', {}, 'Login initiation URL'), h('dd', {}, h('code', {}, `${base}/lti/login`)),
    h('dt', {}, 'Launch (redirect) URL'), h('dd', {}, h('code', {}, `${base}/lti/launch`)),
    h('dt', {}, 'Public keys (JWKS)'), h('dd', {}, h('code', {}, `${base}/lti/jwks`)));
}

export function ltiSection() {
  const list = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    try {
      const { ltiPlatforms } = await gql(LTI_PLATFORMS);
      clear(list).append(ltiPlatforms.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Name', 'Issuer', 'Client id', 'Deployments', 'Registered'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ltiPlatforms.map((p) => h('tr', {},
          h('td', {}, p.name || '—'), h('td', {}, h('code', {}, p.issuer)), h('td', {}, h('code', {}, p.clientId)),
          h('td', {}, p.deploymentIds.join(', ')), h('td', {}, fmtDate(p.createdAt)))))))
        : h('p', { class: 'muted' }, 'No platform is registered.'));
    } catch (error) { clear(list).append(errorBox(error)); }
  };
  load();
  const inputs = {
    name: h('input', { name: 'name', placeholder: 'e.g. School Moodle' }),
    issuer: h('input', { name: 'issuer', type: 'url', required: true }),
    clientId: h('input', { name: 'clientId', required: true }),
    deploymentId: h('input', { name: 'deploymentId', required: true }),
    authUrl: h('input', { name: 'authUrl', type: 'url', required: true }),
    tokenUrl: h('input', { name: 'tokenUrl', type: 'url', required: true }),
    jwksUrl: h('input', { name: 'jwksUrl', type: 'url', required: true }),
  };
  const labels = { name: 'Name', issuer: 'Issuer', clientId: 'Client id', deploymentId: 'Deployment id',
    authUrl: 'OIDC authorisation URL', tokenUrl: 'Token URL', jwksUrl: 'Public keys (JWKS) URL' };
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    clear(out);
    const input = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]));
    try {
      const payload = await mutate(REGISTER_LTI_PLATFORM, { input }, 'registerLtiPlatform');
      announce(`Registered ${payload.platform.issuer}`);
      form.reset();
      load();
    } catch (error) { out.append(errorBox(error)); }
  } }, Object.entries(inputs).map(([k, el]) => field(labels[k], el)), h('button', { type: 'submit' }, 'Register platform'));
  return h('div', {}, h('p', {}, 'Give these to the VLE when adding Lightbox as an LTI 1.3 tool:'), toolAddresses(),
    list, h('h3', {}, 'Register a platform or add a deployment'), form, out,
    h('p', { class: 'hint' }, 'Or on the server: lightbox lti add-platform --issuer … --client-id … --deployment-id … --auth-url … --token-url … --jwks-url …'));
}
