import { SignInDocument } from '../../generated/graphql';
import { DEMO_USERS } from '../../src/dev/demo-directory';
import { httpGraphQL } from '../support/graphql-client';
import { startServiceProcess } from '../support/service-process';

describe('npm start on embedded defaults', () => {
  it('serves /graphql, /healthz and /readyz with no configuration, then stops cleanly on SIGTERM', async () => {
    const service = await startServiceProcess({});
    const { url } = service;
    try {
      expect(service.output()).toContain('DATA_KEY is not set');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/`)).text()).toContain('Register a passport');
      expect(await (await fetch(`${url}/app`)).text()).toContain('ID Verifier (simulator)');
      const ready = await fetch(`${url}/readyz`);
      expect(await ready.json()).toEqual({
        ready: true,
        checks: { mongodb: 'ok', directory: 'ok', broker: 'ok' },
      });
      const anna = DEMO_USERS.find((u) => u.username === 'anna')!;
      const answer = await httpGraphQL(url, SignInDocument, {
        username: anna.username,
        password: anna.password,
      });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.signIn.account.displayName).toBe(anna.fullName);
    } finally {
      service.kill('SIGTERM');
    }
    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('"msg":"stopped"');
  }, 120_000);
});
