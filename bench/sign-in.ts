import { Client, EqualityFilter } from 'ldapts';
import type { Environment } from './environment';
import { BENCH_PASSWORD } from './environment';
import { closedLoop, median, post, repeat } from './load';
import type { Row } from './report';

/** Benchmark 5: signIn through the whole service against raw ldapts search + bind. */
export async function signIn(env: Environment, seconds: number): Promise<Row[]> {
  const { url } = await env.app();
  const ldap = env.directory.config;
  const query = `mutation { signIn(username: "bench0002", password: "${BENCH_PASSWORD}") { accessToken account { id } } }`;
  const ours = await repeat(2, () =>
    closedLoop(
      async () => {
        const data = (await post(`${url}/graphql`, query)) as { signIn: { accessToken: string } };
        if (!data.signIn.accessToken) throw new Error('no token');
      },
      4,
      seconds * 1000,
    ),
  );

  // The same directory work by hand: find the user with the service account, bind as them.
  const service = new Client({ url: ldap.url, tlsOptions: { ca: ldap.ca } });
  await service.bind(ldap.bindDn, ldap.bindPassword);
  const raw = await repeat(2, () =>
    closedLoop(
      async () => {
        const { searchEntries } = await service.search(ldap.baseDn, {
          filter: new EqualityFilter({ attribute: 'sAMAccountName', value: 'bench0002' }),
          attributes: ['objectGUID', 'userAccountControl', 'memberOf', 'displayName'],
        });
        const user = new Client({ url: ldap.url, tlsOptions: { ca: ldap.ca } });
        await user.bind(searchEntries[0].dn, BENCH_PASSWORD);
        await user.unbind();
      },
      4,
      seconds * 1000,
    ),
  );
  await service.unbind();
  const oursP99 = median(ours.map((r) => r.p99));
  const rawP99 = median(raw.map((r) => r.p99));
  return [
    {
      name: 'signIn against the directory (4 concurrent)',
      ours: `p50 ${median(ours.map((r) => r.p50)).toFixed(1)} ms, p99 ${oursP99.toFixed(1)} ms`,
      baseline: `p50 ${median(raw.map((r) => r.p50)).toFixed(1)} ms, p99 ${rawP99.toFixed(1)} ms (ldapts search + bind)`,
      result: `p99 +${(oursP99 - rawP99).toFixed(1)} ms`,
      target: 'p99 ≤ raw + 2 ms',
      met: oursP99 <= rawP99 + 2,
    },
  ];
}
