import { CancelVerificationDocument } from '../../generated/graphql';
import { followStatus, html, request, root, type StatusEvent } from './api';
import { reasonText } from './texts';

/** What startPassportRegistration and startPassportLogin answer. */
export interface Started {
  sessionToken: string;
  session: {
    id: string;
    activationCode: string;
    qrCodeSvg: string;
    qrCodeData: string;
    expiresAt: string;
  };
}

/**
 * Shows the activation code and QR code, waits for the app while following the session's
 * status, and hands the final event to `onFinal`.
 */
export function showVerification(started: Started, onFinal: (event: StatusEvent) => void): void {
  const { session, sessionToken } = started;
  const digits = session.activationCode.replace(/(\d{4})(\d{4})/, '$1 $2');
  root().innerHTML = `
    <section class="verification">
      <h2>Open the Nets ID Verifier app</h2>
      <p>Don't have it? Install <strong>Nets ID Verifier</strong> from the App Store or Google Play.</p>
      <p>Enter this activation code in the app, or scan the QR code:</p>
      <p class="code" data-testid="activation-code">${html(digits)}</p>
      <div class="qr" aria-label="QR code">${session.qrCodeSvg}</div>
      <p class="status" role="status" data-testid="status">Waiting for the app…</p>
      <button id="cancel" class="secondary">Cancel</button>
    </section>`;
  let finished = false;
  const finish = (event: StatusEvent) => {
    if (finished) return;
    finished = true;
    stop();
    onFinal(event);
  };
  const stop = followStatus(
    session.id,
    sessionToken,
    (event) => {
      if (event.status === 'AWAITING_APP') return;
      finish(event);
    },
    () => {
      document.querySelector('[data-testid=status]')!.textContent =
        'Lost the live connection; checking again…';
    },
  );
  document.getElementById('cancel')!.onclick = async () => {
    await request(CancelVerificationDocument, { sessionId: session.id, sessionToken });
  };
}

/** A refusal in English and Danish, with a way to start over. */
export function showRefusal(event: StatusEvent, again: () => void): void {
  const [en, da] = reasonText(event.reason);
  root().innerHTML = `
    <section class="refusal" data-testid="refusal" data-reason="${html(event.reason)}">
      <h2>${event.status === 'CANCELLED' ? 'Cancelled' : 'That did not work'}</h2>
      <p>${html(en)}</p>
      <p lang="da">${html(da)}</p>
      <button id="again">Try again</button>
    </section>`;
  document.getElementById('again')!.onclick = again;
}
