import { chromium, type Browser } from 'playwright-core';
import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../../src/dev/broker-simulator/broker-simulator';
import { CHROMIUM_ARGS, ensureChromium } from '../support/chromium';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';

/**
 * The instance a user's page is connected to stops (a deploy, say) while the user is busy in
 * the app, and a new one takes its address. The page's graphql-ws client sees "going away"
 * (1001), reconnects and subscribes again by itself, and shows the outcome: the user does
 * not notice the restart.
 */
describe('the portal page across a restart of the service', () => {
  let broker: BrokerSimulator;
  let browser: Browser;
  let t: TestApp | undefined;

  beforeAll(async () => {
    broker = await startBrokerSimulator({ pollIntervalSeconds: 1 });
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await broker.close();
  });

  it('shows the outcome that arrives after the restart', async () => {
    const env = testEnv();
    t = await startTestApp(env, broker);
    const port = Number(new URL(t.url).port);
    const page = await browser.newPage();
    await page.goto(`${t.url}/portal`);
    await page.click('#passport');
    const code = (await page.getByTestId('activation-code').textContent())!.replace(/\s/g, '');

    await t.close();
    t = await startTestApp(env, broker, port);
    // Nobody registered this passport, so the outcome is a refusal; it must reach the page.
    await broker.approve(code, 'bo-dnk');

    await page.getByTestId('refusal').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('refusal').textContent()).toContain(
      'This passport is not registered.',
    );
  }, 60_000);
});
