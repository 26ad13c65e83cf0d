import {
  PassportBindingOfDocument,
  PassportBindingsDocument,
  RevokePassportBindingDocument,
  type PassportBindingStatus,
  type PassportBindingsQuery,
} from '../../generated/graphql';
import { accessToken, ApiError, html, request, root, setAccessToken } from './api';
import { showSignIn as signInForm } from './sign-in-form';

type Row = PassportBindingsQuery['passportBindings']['edges'][number]['node'];

interface Search {
  usernamePrefix: string;
  status: PassportBindingStatus | '';
  cursors: (string | null)[];
}

const search: Search = { usernamePrefix: '', status: '', cursors: [null] };

/** Admin page: list, search and page through bindings; open one; revoke it. */
function start(message = ''): void {
  if (!accessToken()) return showSignIn(message);
  void showList(message);
}

function showSignIn(message = ''): void {
  signInForm('Passport administration', () => start(), message);
}

async function showList(message = ''): Promise<void> {
  let page;
  try {
    page = await request(PassportBindingsDocument, {
      first: 20,
      after: search.cursors[search.cursors.length - 1],
      filter: {
        usernamePrefix: search.usernamePrefix || undefined,
        status: search.status || undefined,
      },
    });
  } catch (error) {
    setAccessToken(null);
    return showSignIn(error instanceof ApiError ? error.message : 'Not allowed');
  }
  const { edges, pageInfo, totalCount } = page.passportBindings;
  root().innerHTML = `
    <section class="card wide">
      <form id="search" class="row">
        <input name="prefix" placeholder="Username starts with…" value="${html(search.usernamePrefix)}">
        <select name="status">
          ${['', 'ACTIVE', 'REPLACED', 'REVOKED', 'DOCUMENT_EXPIRED']
            .map(
              (s) =>
                `<option value="${s}" ${s === search.status ? 'selected' : ''}>${s || 'Any status'}</option>`,
            )
            .join('')}
        </select>
        <button type="submit">Search</button>
      </form>
      <p class="notice">${html(message)}</p>
      <p>${totalCount} binding(s)</p>
      <table data-testid="bindings">
        <thead><tr><th>Username</th><th>Holder</th><th>Status</th><th>Document</th><th>Valid until</th><th>Verified</th></tr></thead>
        <tbody>${edges.map(({ node }) => rowHtml(node)).join('')}</tbody>
      </table>
      <div class="row">
        <button id="prev" ${search.cursors.length > 1 ? '' : 'disabled'}>Previous</button>
        <button id="next" ${pageInfo.hasNextPage ? '' : 'disabled'}>Next</button>
      </div>
    </section>`;
  const form = document.getElementById('search') as HTMLFormElement;
  form.onsubmit = (event) => {
    event.preventDefault();
    const data = new FormData(form);
    search.usernamePrefix = String(data.get('prefix') ?? '');
    search.status = String(data.get('status') ?? '') as Search['status'];
    search.cursors = [null];
    void showList();
  };
  document.getElementById('next')!.onclick = () => {
    search.cursors.push(pageInfo.endCursor ?? null);
    void showList();
  };
  document.getElementById('prev')!.onclick = () => {
    search.cursors.pop();
    void showList();
  };
  for (const row of document.querySelectorAll<HTMLElement>('tr[data-username]')) {
    row.onclick = () => void showBinding(row.dataset.username!);
  }
}

function rowHtml(node: Row): string {
  return `<tr data-username="${html(node.username)}" tabindex="0">
    <td>${html(node.username)}</td><td>${html(node.holderName)}</td><td>${html(node.status)}</td>
    <td>${html(node.documentType)} ${html(node.maskedDocumentNumber)} ${html(node.issuingCountry)}</td>
    <td>${html(node.documentExpiry)}</td><td>${html(new Date(node.verifiedAt).toLocaleString())}</td></tr>`;
}

async function showBinding(username: string): Promise<void> {
  const { passportBinding: binding } = await request(PassportBindingOfDocument, { username });
  if (!binding) return void showList(`${username} has no binding`);
  root().innerHTML = `
    <section class="card wide" data-testid="binding-detail">
      <h2>${html(binding.holderName)} (${html(binding.username)})</h2>
      <p>Status <strong data-testid="binding-status">${html(binding.status)}</strong>,
        ${html(binding.documentType)} ${html(binding.maskedDocumentNumber)} from ${html(binding.issuingCountry)},
        valid until ${html(binding.documentExpiry)}</p>
      ${binding.revokedAt ? `<p>Revoked by ${html(binding.revokedBy)}: ${html(binding.revocationReason)}</p>` : ''}
      <h3>Evidence</h3>
      <ul>${binding.assuranceRecords
        .map(
          (r) =>
            `<li>${html(r.purpose)} ${html(r.outcome)} ${html(r.reason ?? '')} ${r.actor ? `by ${html(r.actor)}` : ''}</li>`,
        )
        .join('')}</ul>
      ${
        binding.status === 'ACTIVE' || binding.status === 'DOCUMENT_EXPIRED'
          ? `<form id="revoke" class="row">
               <input name="reason" placeholder="Reason (e.g. passport lost)" required minlength="3">
               <button type="submit" class="danger">Revoke</button></form>`
          : ''
      }
      <p class="error" role="alert"></p>
      <button id="back" class="secondary">Back to the list</button>
    </section>`;
  document.getElementById('back')!.onclick = () => void showList();
  const form = document.getElementById('revoke') as HTMLFormElement | null;
  if (form) {
    form.onsubmit = async (event) => {
      event.preventDefault();
      try {
        await request(RevokePassportBindingDocument, {
          username,
          reason: String(new FormData(form).get('reason')),
        });
        await showBinding(username);
      } catch (error) {
        document.querySelector('.error')!.textContent =
          error instanceof ApiError ? error.message : 'Failed';
      }
    };
  }
}

start();
