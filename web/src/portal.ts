import { StartPassportLoginDocument } from '../../generated/graphql';
import { ApiError, html, request, root, type StatusEvent } from './api';
import { showRefusal, showVerification } from './verification-view';

/** ID portal page: sign in with the registered passport. */
function start(message = ''): void {
  root().innerHTML = `
    <section class="card">
      <h2>Sign in to the ID portal</h2>
      <p>Choose how to prove who you are.</p>
      <button disabled title="Not part of this demo">MitID</button>
      <button id="passport">Passport</button>
      <p class="error" role="alert">${html(message)}</p>
    </section>`;
  document.getElementById('passport')!.onclick = async () => {
    try {
      const { startPassportLogin } = await request(StartPassportLoginDocument);
      showVerification(startPassportLogin, (event) => {
        if (event.status === 'VERIFIED' && event.login) showSignedIn(event.login);
        else showRefusal(event, () => start());
      });
    } catch (error) {
      start(error instanceof ApiError ? error.message : 'Could not start');
    }
  };
}

function decode(part: string): unknown {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(decodeURIComponent(escape(atob(base64))));
}

function showSignedIn(login: NonNullable<StatusEvent['login']>): void {
  const [header, payload] = login.assertion.split('.');
  root().innerHTML = `
    <section class="card receipt" data-testid="signed-in">
      <h2>Signed in as <span data-testid="signed-in-name">${html(login.account.displayName)}</span></h2>
      <p>Identity assurance level <strong data-testid="level">${html(login.assuranceLevel)}</strong>, with passport.</p>
      <p>The ID portal receives this signed assertion (valid until ${html(new Date(login.expiresAt).toLocaleTimeString())}):</p>
      <pre data-testid="assertion">${html(JSON.stringify({ header: decode(header), payload: decode(payload) }, null, 2))}</pre>
      <button id="out">Sign out</button>
    </section>`;
  document.getElementById('out')!.onclick = () => start();
}

start();
