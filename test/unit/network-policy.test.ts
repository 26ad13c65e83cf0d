import { clientAddress, NetworkPolicy, parseCidrList } from '../../src/services/network-policy';

describe('client address and the internal network', () => {
  const proxies = parseCidrList('10.0.0.5, 10.0.0.6');

  it('uses the socket peer when it is not a trusted proxy, ignoring X-Forwarded-For', () => {
    expect(clientAddress('203.0.113.9', '10.1.1.1', proxies)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', '10.1.1.1', [])).toBe('203.0.113.9');
  });

  it('walks X-Forwarded-For from the right through trusted proxies only', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1, 192.168.1.20', proxies)).toBe('192.168.1.20');
    expect(clientAddress('10.0.0.5', '198.51.100.1, 10.0.0.6', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', ['1.2.3.4', '10.0.0.6'], proxies)).toBe('1.2.3.4');
  });

  it('stops at a malformed forwarded entry instead of trusting what is left of it', () => {
    expect(clientAddress('10.0.0.5', '192.168.1.20, not-an-ip', proxies)).toBe('10.0.0.5');
  });

  it('treats IPv4-mapped IPv6 peers as IPv4', () => {
    expect(clientAddress('::ffff:127.0.0.1', undefined, [])).toBe('127.0.0.1');
    const policy = new NetworkPolicy(parseCidrList('127.0.0.0/8'));
    expect(policy.isInternal(clientAddress('::ffff:127.0.0.1', undefined, []))).toBe(true);
  });

  it('knows the default private ranges and refuses public addresses', () => {
    const policy = new NetworkPolicy(
      parseCidrList('127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7'),
    );
    for (const internal of [
      '127.0.0.1',
      '::1',
      '10.20.30.40',
      '172.31.0.1',
      '192.168.0.9',
      'fd00::1',
    ]) {
      expect(policy.isInternal(internal)).toBe(true);
    }
    for (const external of ['172.32.0.1', '8.8.8.8', '2001:db8::1', 'unknown']) {
      expect(policy.isInternal(external)).toBe(false);
    }
  });

  it('names a malformed range', () => {
    expect(() => parseCidrList('10.0.0.0/8, 300.1.1.1/8')).toThrow('"300.1.1.1/8"');
  });
});
