import {
  MeDocument,
  MyPassportBindingDocument,
  StartPassportRegistrationDocument,
  type BindingFieldsFragment,
} from '../../generated/graphql';
import { accessToken, ApiError, html, request, root, setAccessToken } from './api';
import { showSignIn as signInForm } from './sign-in-form';
import { reasonText } from './texts';
import { showRefusal, showVerification } from './verification-view';

/** Registration page: sign in with AD, then bind a passport with the app. */
async function start(): Promise<void> {
  if (!accessToken()) return showSignIn();
  try {
    const [{ me }, { myPassportBinding }] = await Promise.all([
      request(MeDocument),
      request(MyPassportBindingDocument),
    ]);
    if (!me) return showSignIn();
    showAccount(me.displayName, myPassportBinding ?? null);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      setAccessToken(null);
      return showSignIn();
    }
    throw error;
  }
}

function showSignIn(message = ''): void {
  signInForm('Sign in with your work account', () => start(), message);
}

function bindingSummary(binding: BindingFieldsFragment): string {
  return `
    <dl class="binding" data-testid="binding">
      <dt>Holder</dt><dd>${html(binding.holderName)}</dd>
      <dt>Document</dt><dd>${html(binding.documentType)} ${html(binding.maskedDocumentNumber)} (${html(binding.issuingCountry)})</dd>
      <dt>Valid until</dt><dd>${html(binding.documentExpiry)}</dd>
      <dt>Registered</dt><dd>${html(new Date(binding.verifiedAt).toLocaleString())}</dd>
    </dl>`;
}

function showAccount(name: string, binding: BindingFieldsFragment | null): void {
  root().innerHTML = `
    <section class="card">
      <p>Signed in as <strong data-testid="me">${html(name)}</strong> · <a href="#" id="sign-out">Sign out</a></p>
      ${
        binding
          ? `<div class="notice" data-testid="already-registered">
               <p>A passport is already registered on your account.</p>${bindingSummary(binding)}
               <p class="warning">Registering again replaces it.</p></div>`
          : '<p>No passport is registered on your account yet.</p>'
      }
      <button id="start">Log in with passport</button>
      <p class="error" role="alert"></p>
    </section>`;
  document.getElementById('sign-out')!.onclick = () => {
    setAccessToken(null);
    showSignIn();
  };
  document.getElementById('start')!.onclick = async () => {
    try {
      const { startPassportRegistration } = await request(StartPassportRegistrationDocument);
      showVerification(startPassportRegistration, (event) => {
        if (event.status === 'VERIFIED' && event.binding) showReceipt(event.binding);
        else showRefusal(event, () => void start());
      });
    } catch (error) {
      const [en] = reasonText(error instanceof ApiError ? (error.code as never) : null);
      document.querySelector('.error')!.textContent =
        error instanceof ApiError ? error.message : en;
    }
  };
}

function showReceipt(binding: BindingFieldsFragment): void {
  root().innerHTML = `
    <section class="card receipt" data-testid="receipt">
      <h2>Your passport is registered</h2>
      <p>You can now prove who you are with this passport and the app, at identity assurance level Substantial.</p>
      ${bindingSummary(binding)}
      <button id="back">Done</button>
    </section>`;
  document.getElementById('back')!.onclick = () => void start();
}

void start();
