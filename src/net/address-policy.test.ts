import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAddressPolicy, isBlockedHostname, isPublicAddress } from './address-policy.js';

const refused: readonly [string, string][] = [
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'this network'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback, end of range'],
  ['10.0.0.1', 'RFC 1918'],
  ['172.16.0.1', 'RFC 1918'],
  ['172.31.255.255', 'RFC 1918, end of range'],
  ['192.168.1.1', 'RFC 1918'],
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.0.1', 'link-local'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT, end of range'],
  ['100.100.100.200', 'Alibaba metadata, inside carrier-grade NAT'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local with zone'],
  ['fc00::1', 'unique local'],
  ['fd00:ec2::254', 'AWS metadata over IPv6'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
  ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::127.0.0.1', 'IPv4-compatible (deprecated)'],
  ['64:ff9b::127.0.0.1', 'NAT64 of loopback'],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['2002:7f00:1::', '6to4 of loopback'],
  ['2002:a00:1::', '6to4 of RFC 1918'],
  ['2001:db8::1', 'documentation'],
  ['2001::1', 'Teredo'],
  ['100::1', 'discard'],
  ['fec0::1', 'deprecated site-local'],
  ['', 'empty'],
  ['localhost', 'a name, not an address'],
  ['2130706433', 'decimal shorthand is not an address here'],
  ['0x7f.1', 'hex shorthand is not an address here'],
  ['999.1.1.1', 'garbage'],
];

const allowed: readonly [string, string][] = [
  ['93.184.216.34', 'public IPv4'],
  ['8.8.8.8', 'public IPv4'],
  ['172.32.0.1', 'just past RFC 1918'],
  ['100.128.0.1', 'just past carrier-grade NAT'],
  ['2606:4700::1111', 'public IPv6'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['64:ff9b::8.8.8.8', 'NAT64 of public'],
  ['2002:808:808::', '6to4 of public'],
];

test('isPublicAddress refuses every non-public range', () => {
  for (const [address, why] of refused) assert.equal(isPublicAddress(address), false, `${address} (${why})`);
});

test('isPublicAddress accepts public unicast', () => {
  for (const [address, why] of allowed) assert.equal(isPublicAddress(address), true, `${address} (${why})`);
});

test('isBlockedHostname refuses metadata and localhost names, trailing dot or not', () => {
  const cases: readonly [string, boolean][] = [
    ['metadata.google.internal', true],
    ['METADATA.GOOGLE.INTERNAL.', true],
    ['metadata.goog', true],
    ['metadata', true],
    ['instance-data', true],
    ['instance-data.ec2.internal', true],
    ['localhost', true],
    ['localhost.', true],
    ['api.localhost', true],
    ['example.com', false],
    ['metadata.example.com', false],
    ['notlocalhost', false],
  ];
  for (const [hostname, blocked] of cases) assert.equal(isBlockedHostname(hostname), blocked, hostname);
});

test('the default policy applies both rules', () => {
  const policy = createAddressPolicy({ allowPrivateUrls: false });
  assert.equal(policy.allowsAddress('127.0.0.1'), false);
  assert.equal(policy.allowsAddress('93.184.216.34'), true);
  assert.equal(policy.allowsHostname('metadata.google.internal'), false);
  assert.equal(policy.allowsHostname('example.com'), true);
});

test('allowPrivateUrls lets everything through', () => {
  const policy = createAddressPolicy({ allowPrivateUrls: true });
  for (const address of ['127.0.0.1', '10.0.0.1', '::1', '169.254.169.254']) assert.equal(policy.allowsAddress(address), true, address);
  assert.equal(policy.allowsHostname('localhost'), true);
});

test('allowedAddresses opens exactly the listed addresses and ranges', () => {
  const policy = createAddressPolicy({ allowPrivateUrls: false, allowedAddresses: ['127.0.0.1', '10.20.0.0/16', 'fd00::/64'] });
  const cases: readonly [string, boolean][] = [
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.20.5.5', true],
    ['10.21.0.1', false],
    ['fd00::5', true],
    ['fd00:0:0:1::5', false],
    ['169.254.169.254', false],
    ['8.8.8.8', true],
  ];
  for (const [address, expected] of cases) assert.equal(policy.allowsAddress(address), expected, address);
  assert.equal(policy.allowsHostname('localhost'), false);
});

test('an invalid allowedAddresses entry fails at construction', () => {
  assert.throws(() => createAddressPolicy({ allowPrivateUrls: false, allowedAddresses: ['10.0.0.0/99'] }));
});
