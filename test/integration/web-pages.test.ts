import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../support/chromium';
import { startTestApp, type TestApp } from '../support/test-app';
import { testServers } from '../support/test-servers';
import { DomainAdmin } from '../support/verification-helpers';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');

describe('the demo pages in a real browser', () => {
  const { samba } = testServers();
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await new DomainAdmin().setAltSecurityIdentities('user19', []);
    t = await startTestApp();
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 900, height: 800 } });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const shot = (name: string, on: Page = page) =>
    on.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** Plays the phone: the simulator's page, through the service's /app relay. */
  async function inTheApp(
    activationCode: string,
    passportId: string,
    action: 'approve' | 'deny',
    name?: string,
  ) {
    const app = await browser.newPage({ viewport: { width: 420, height: 760 } });
    await app.goto(`${t.url}/app`);
    await app.fill('#code', activationCode);
    await app.selectOption('#passport', passportId);
    if (name) await shot(name, app);
    await app.click(action === 'approve' ? '#approve' : '#deny');
    await app
      .getByRole('status')
      .filter({ hasText: /sent|Cancelled/ })
      .waitFor();
    await app.close();
  }

  async function activationCode(): Promise<string> {
    const text = await page.getByTestId('activation-code').textContent();
    return text!.replace(/\s/g, '');
  }

  it('registers a passport: sign in, code and QR, the app, the receipt', async () => {
    await page.goto(`${t.url}/register`);
    await page.fill('input[name=username]', 'user19');
    await page.fill('input[name=password]', samba.userPassword);
    await page.click('button[type=submit]');
    await expectText(page, 'me', 'Test User 19');
    await shot('01-register-signed-in');

    await page.click('#start');
    const code = await activationCode();
    expect(code).toMatch(/^\d{8}$/);
    expect(await page.locator('.qr svg').count()).toBe(1);
    await expectText(page, 'status', 'Waiting for the app');
    await shot('02-register-activation-code');

    await inTheApp(code, 'bo-dnk', 'approve', '03-the-app');
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toContain('******543');
    await shot('04-register-receipt');

    await page.click('#back');
    await page.getByTestId('already-registered').waitFor();
    expect(await page.getByTestId('already-registered').textContent()).toContain(
      'Registering again replaces it',
    );
    await shot('05-register-already-registered');
  });

  it('shows a refusal in English and Danish', async () => {
    await page.click('#start');
    const code = await activationCode();
    await inTheApp(code, 'bo-dnk', 'deny');
    await page.getByTestId('refusal').waitFor();
    const text = await page.getByTestId('refusal').textContent();
    expect(text).toContain('You cancelled the verification.');
    expect(text).toContain('Du afbrød verificeringen.');
    await shot('06-register-refusal');
    await page.click('#again');
  });

  it('signs in to the ID portal with the passport at level Substantial', async () => {
    await page.goto(`${t.url}/portal`);
    await page.click('#passport');
    const code = await activationCode();
    await shot('07-portal-activation-code');
    await inTheApp(code, 'bo-dnk', 'approve');
    await page.getByTestId('signed-in').waitFor();
    await expectText(page, 'signed-in-name', 'Test User 19');
    await expectText(page, 'level', 'Substantial');
    const assertion = await page.getByTestId('assertion').textContent();
    expect(assertion).toContain('"loa": "Substantial"');
    expect(assertion).toContain('"preferred_username": "user19"');
    await shot('08-portal-signed-in');
  });

  it('lets an admin find the binding and revoke it', async () => {
    await page.goto(`${t.url}/admin`);
    await page.fill('input[name=username]', 'ada');
    await page.fill('input[name=password]', samba.userPassword);
    await page.click('button[type=submit]');
    await page.getByTestId('bindings').waitFor();
    await page.fill('input[name=prefix]', 'user19');
    await page.click('#search button[type=submit]');
    await page.locator('tr[data-username=user19]').first().waitFor();
    await shot('09-admin-list');
    await page.locator('tr[data-username=user19]').first().click();
    await page.getByTestId('binding-detail').waitFor();
    await page.fill('input[name=reason]', 'passport reported lost');
    await page.click('#revoke button[type=submit]');
    await page.getByTestId('binding-status').filter({ hasText: 'REVOKED' }).waitFor();
    expect(await page.getByTestId('binding-detail').textContent()).toContain(
      'passport reported lost',
    );
    await shot('10-admin-revoked');
  });

  it('serves GraphiQL offline at /graphql', async () => {
    await page.goto(`${t.url}/graphql`);
    await page.locator('.graphiql-container').waitFor();
    await shot('11-graphiql');
  });
});

async function expectText(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: text }).waitFor({ timeout: 15_000 });
}
