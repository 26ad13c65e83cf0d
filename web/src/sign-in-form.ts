import { SignInDocument } from '../../generated/graphql';
import { ApiError, html, request, root, setAccessToken } from './api';

/** Shows the AD sign-in form; on success keeps the access token and calls `then`. */
export function showSignIn(title: string, then: () => unknown, message = ''): void {
  root().innerHTML = `
    <form id="sign-in" class="card">
      <h2>${html(title)}</h2>
      <label>Username <input name="username" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
      <p class="error" role="alert">${html(message)}</p>
    </form>`;
  const form = document.getElementById('sign-in') as HTMLFormElement;
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const { signIn } = await request(SignInDocument, {
        username: String(data.get('username')),
        password: String(data.get('password')),
      });
      setAccessToken(signIn.accessToken);
      await then();
    } catch (error) {
      showSignIn(title, then, error instanceof ApiError ? error.message : 'Sign-in failed');
    }
  };
}
