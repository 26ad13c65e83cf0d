import type { TestApp } from './test-app';

/**
 * The value of one metric sample from the app's /metrics, e.g.
 * `metric(t, 'passport_sessions_started_total', { purpose: 'LOGIN' })`; 0 when absent.
 */
export async function metric(
  t: TestApp,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? ([-+\d.eE]+|NaN)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) total += Number(match[3]);
  }
  return total;
}
