/**
 * The address rule of src/net for the providers that open TCP connections themselves (SMTP,
 * SMPP). Their host is a tenant's setting: unchecked, a tenant could relay mail through an
 * internal open relay or probe private ports. The name is resolved and checked here, and the
 * connection is made to the checked address, so DNS cannot answer differently in between.
 */

import { lookup } from 'node:dns/promises';
import { connect, isIP, type Socket } from 'node:net';
import type { ProviderDeps } from './provider.js';

export class BlockedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

type Guard = Pick<ProviderDeps, 'addressPolicy' | 'resolve'>;

/** The address to connect to for `host`; rejects with BlockedAddressError, or the resolver's error. */
export async function resolveAllowedAddress(host: string, guard: Guard): Promise<string> {
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(literal) !== 0) {
    if (!guard.addressPolicy.allowsAddress(literal)) throw new BlockedAddressError(`${host} is not reachable for outbound connections`);
    return literal;
  }
  if (!guard.addressPolicy.allowsHostname(host)) throw new BlockedAddressError(`${host} is not reachable for outbound connections`);
  const addresses = guard.resolve ? await guard.resolve(host) : await lookup(host, { all: true });
  // One bad address refuses the name: a rebinding answer may mix public and private ones.
  if (!addresses.every(({ address }) => guard.addressPolicy.allowsAddress(address))) {
    throw new BlockedAddressError(`${host} resolves to an address outbound connections may not reach`);
  }
  const [first] = addresses;
  if (!first) throw new Error(`${host} has no address`);
  return first.address;
}

/** A connected plain TCP socket to a checked address; TLS, if any, is the caller's to start. */
export async function connectGuarded(host: string, port: number, guard: Guard, timeoutMs: number): Promise<Socket> {
  const address = await resolveAllowedAddress(host, guard);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`connection to ${host}:${port} timed out`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
