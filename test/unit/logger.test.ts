import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';

describe('logger redaction', () => {
  it('never writes passwords, tokens or document numbers, however deep', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({
      password: 'hunter2-secret',
      input: { password: 'nested-secret', accessToken: 'eyJtoken' },
      req: { headers: { authorization: 'Bearer eyJheader' } },
      claims: { document_number: 'AB1234567' },
      username: 'anna',
    });
    const text = lines.join('');
    for (const secret of [
      'hunter2-secret',
      'nested-secret',
      'eyJtoken',
      'eyJheader',
      'AB1234567',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('"username":"anna"');
    expect(text).toContain('[redacted]');
  });
});
