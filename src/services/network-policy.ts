import ipaddr from 'ipaddr.js';

/** A parsed CIDR range. */
export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses "10.0.0.0/8, ::1/128, 192.0.2.7" (a bare address is a /32 or /128). */
export function parseCidrList(text: string): Cidr[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((entry) => {
      try {
        if (entry.includes('/')) return normaliseRange(ipaddr.parseCIDR(entry));
        const address = ipaddr.process(entry);
        return [address, address.kind() === 'ipv4' ? 32 : 128] as Cidr;
      } catch {
        throw new Error(`"${entry}" is not an IP address or CIDR range`);
      }
    });
}

function normaliseRange([address, bits]: Cidr): Cidr {
  // "::ffff:10.0.0.0/104" is written for IPv4-mapped clients; compare it as IPv4.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

/** Parses an address as a socket reports it, turning IPv4-mapped IPv6 into IPv4. */
export function parseAddress(text: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!text) return undefined;
  try {
    return ipaddr.process(text.trim());
  } catch {
    return undefined;
  }
}

/** True when the address lies in one of the ranges. */
export function inRanges(
  address: ipaddr.IPv4 | ipaddr.IPv6 | undefined,
  ranges: readonly Cidr[],
): boolean {
  if (!address) return false;
  return ranges.some(
    ([range, bits]) => range.kind() === address.kind() && address.match([range, bits] as never),
  );
}

/**
 * The client's address: the socket peer, or, when that peer is a trusted proxy, the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy. Entries left of an
 * untrusted hop are ignored because the client could have written them.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: readonly Cidr[],
): string {
  let current = parseAddress(socketAddress);
  if (!current) return 'unknown';
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  while (inRanges(current, trustProxy) && hops.length > 0) {
    const next = parseAddress(hops.pop());
    if (!next) break;
    current = next;
  }
  return current.toString();
}

/** Decides which client addresses count as the internal network. */
export class NetworkPolicy {
  constructor(private readonly internalNetworks: readonly Cidr[]) {}

  /** True when the address (as clientAddress returned it) is internal. */
  isInternal(address: string): boolean {
    return inRanges(parseAddress(address), this.internalNetworks);
  }
}
