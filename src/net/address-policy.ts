/**
 * Which hosts an outbound fetch may reach. URLs come from tenants (template images, webhook
 * endpoints), so without this rule any tenant could make the server read its own admin ports,
 * the private network or the cloud metadata service (server-side request forgery).
 */

import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface AddressPolicy {
  /** Checked before any lookup, for names that must never be asked of DNS. */
  allowsHostname(hostname: string): boolean;
  /** Checked on literal IP hosts and on every address a name resolves to. */
  allowsAddress(address: string): boolean;
}

export interface AddressPolicyOptions {
  /** ALLOW_PRIVATE_URLS: for tests and local development, everything is reachable. */
  readonly allowPrivateUrls: boolean;
  /** Addresses or CIDR ranges let through although the rule refuses them. */
  readonly allowedAddresses?: readonly string[];
}

// Services that answer with instance credentials; they resolve to link-local addresses
// where they exist, but a misconfigured resolver elsewhere must not be asked at all.
const METADATA_HOSTNAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

// Everything assigned as globally routable IPv6 lives here; the rest is special or unassigned.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
// The well-known NAT64 prefix: the gateway translates to the IPv4 address in the last 32 bits.
const NAT64_V6 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** Lower case without the trailing dot, which DNS treats as the same name. */
function canonicalHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

export function isBlockedHostname(hostname: string): boolean {
  const name = canonicalHostname(hostname);
  // RFC 6761: localhost names are loopback whatever a resolver says.
  return METADATA_HOSTNAMES.has(name) || name === 'localhost' || name.endsWith('.localhost');
}

function ipv4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function isPublic(ip: Address): boolean {
  if (ip instanceof ipaddr.IPv4) return ip.range() === 'unicast';
  // Forms that carry an IPv4 address reach that address: judge it instead.
  const range = ip.range();
  if (range === 'ipv4Mapped') return isPublic(ip.toIPv4Address());
  if (range === 'rfc6052') return ip.match(NAT64_V6) && isPublic(ipv4From(ip.parts[6] ?? 0, ip.parts[7] ?? 0));
  if (range === '6to4') return isPublic(ipv4From(ip.parts[1] ?? 0, ip.parts[2] ?? 0));
  return range === 'unicast' && ip.match(GLOBAL_UNICAST_V6);
}

/** True for an IP address on the public internet; false for anything else, garbage included. */
export function isPublicAddress(address: string): boolean {
  return isIP(address) !== 0 && isPublic(ipaddr.parse(address));
}

/** One IP version per comparison, so an IPv4-mapped address meets IPv4 ranges. */
function unmapped(ip: Address): Address {
  return ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress() ? ip.toIPv4Address() : ip;
}

function parseRange(entry: string): [Address, number] {
  if (entry.includes('/')) return ipaddr.parseCIDR(entry);
  const ip = ipaddr.parse(entry);
  return [ip, ip instanceof ipaddr.IPv4 ? 32 : 128];
}

export function createAddressPolicy(options: AddressPolicyOptions): AddressPolicy {
  if (options.allowPrivateUrls) return { allowsHostname: () => true, allowsAddress: () => true };
  const exceptions = (options.allowedAddresses ?? []).map(parseRange);
  return {
    allowsHostname: (hostname) => !isBlockedHostname(hostname),
    allowsAddress: (address) => {
      if (isIP(address) === 0) return false;
      const ip = unmapped(ipaddr.parse(address));
      return isPublic(ip) || exceptions.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
    },
  };
}
