/**
 * Who a client is, at the sizes one holder controls: an IPv4 address sits in a /24 its neighbours
 * share, while one IPv6 holder gets a whole /64 (and often a /48). Limits count at both sizes, so
 * rotating addresses inside a block gains nothing.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The eight groups of an IPv6 address, "::" filled in, each without leading zeros. */
export function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const parts = (s: string | undefined) => (s ? s.split(':') : []);
  const missing = 8 - parts(head).length - parts(tail).length;
  const groups = tail === undefined ? parts(head) : [...parts(head), ...Array<string>(missing).fill('0'), ...parts(tail)];
  return groups.map((g) => Number.parseInt(g, 16).toString(16));
}

/** An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is the IPv4 client it stands for. */
const unmapped = (address: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;

const ipv6Prefix = (address: string, groups: number) => `${expandIPv6(address).slice(0, groups).join(':')}::/${groups * 16}`;

/** One client: the IPv4 address, or the IPv6 /64. */
export function clientKey(address: string): string {
  const ip = unmapped(address);
  return isIPv6(ip) ? ipv6Prefix(ip, 4) : ip;
}

/** The network a client is in: the IPv4 /24, or the IPv6 /48 (anything else: itself). */
export function networkKey(address: string): string {
  const ip = unmapped(address);
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  return isIPv6(ip) ? ipv6Prefix(ip, 3) : ip;
}
