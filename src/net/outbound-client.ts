/**
 * The one HTTP client for requests the product makes to URLs it was given: template images,
 * attachments, webhook deliveries, provider APIs. Every hop is checked by the address policy,
 * after DNS and at connect time, so neither a redirect nor a DNS answer that changes between
 * check and use can steer a request to an internal address.
 */

import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, errors, type Dispatcher } from 'undici';
import { createAddressPolicy, type AddressPolicy } from './address-policy.js';
import { OutboundError } from './outbound-error.js';

export { OutboundError, isRetryable, type OutboundErrorReason } from './outbound-error.js';

/** A DNS resolver: every address the name has, in the order to try them. */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface OutboundClientOptions {
  /** ALLOW_PRIVATE_URLS: reach loopback, private and link-local addresses (tests, development). */
  readonly allowPrivateUrls: boolean;
  /** OUTBOUND_TIMEOUT_MS: default time limit of one fetch, redirects and body included. */
  readonly timeoutMs: number;
  readonly userAgent?: string;
  /** Addresses or CIDR ranges reachable although private, e.g. one internal webhook receiver. */
  readonly allowedAddresses?: readonly string[];
  /** Replaces the system resolver; tests map made-up names to local addresses with it. */
  readonly resolve?: Resolve;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OutboundRequest {
  readonly method?: HttpMethod;
  readonly headers?: Readonly<Record<string, string>>;
  /** Bytes rather than a stream, so a 307/308 redirect can send it again. */
  readonly body?: string | Uint8Array;
  /** Largest response body accepted; 10 MiB unless given. */
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
}

export interface OutboundResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Where the response came from, after redirects. */
  readonly url: string;
}

export interface OutboundClient {
  fetch(url: string, request?: OutboundRequest): Promise<OutboundResponse>;
  /** Lets requests in flight finish, then closes every connection. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const MAX_REDIRECTS = 5;
// A body we will not use is read to the end below this size so its connection is kept, dropped above.
const DRAIN_LIMIT = 64 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Credentials are for the origin they were given for, not for wherever it redirects.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true });

/**
 * The resolver undici's sockets use: the addresses it hands to the socket are the ones it
 * checked, so there is no second lookup an attacker's DNS could answer differently.
 */
function guardedLookup(resolve: Resolve, policy: AddressPolicy): LookupFunction {
  const checked = async (hostname: string, family: number): Promise<[LookupAddress, ...LookupAddress[]]> => {
    const addresses = await resolve(hostname);
    // One bad address refuses the name: a rebinding answer may mix public and private ones.
    // The address stays out of the message: tenants see it, and it would map the internal network.
    if (!addresses.every(({ address }) => policy.allowsAddress(address))) throw new OutboundError('blocked_address', `${hostname} resolves to an address outbound requests may not reach`);
    const [first, ...rest] = addresses.filter((candidate) => family === 0 || candidate.family === family);
    if (!first) throw new OutboundError('network', `${hostname} has no usable address`);
    return [first, ...rest];
  };
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    checked(hostname, family).then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family)),
      (error: Error) => callback(error, ''),
    );
  };
}

function parseTarget(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new OutboundError('invalid_url', 'not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('invalid_url', `${url.protocol} URLs are not fetched, only http and https`);
  }
  // Refused rather than dropped: a silently unauthenticated request fails in ways hard to trace.
  if (url.username || url.password) {
    throw new OutboundError('invalid_url', 'credentials in the URL are not sent; pass an Authorization header');
  }
  return url;
}

/** Literal IPs never reach the lookup, so they are judged here; a name here, its addresses in the lookup. */
function assertAllowedHost(url: URL, policy: AddressPolicy): void {
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into dotted quads.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const allowed = isIP(host) !== 0 ? policy.allowsAddress(host) : policy.allowsHostname(host);
  if (!allowed) throw new OutboundError('blocked_address', `${url.host} is not reachable for outbound requests`);
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readBody(response: Dispatcher.ResponseData, method: HttpMethod, maxBytes: number, url: URL, signal: AbortSignal): Promise<Buffer> {
  const tooLarge = new OutboundError('too_large', `response from ${url.origin} exceeds ${maxBytes} bytes`);
  // A HEAD answer declares the length of a body it does not send.
  if (method !== 'HEAD' && Number(response.headers['content-length']) > maxBytes) {
    await response.body.dump({ limit: DRAIN_LIMIT, signal });
    throw tooLarge;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the body, which drops the connection mid-download.
  for await (const chunk of response.body) {
    const bytes = Buffer.from(chunk);
    size += bytes.length;
    if (size > maxBytes) throw tooLarge;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

export function createOutboundClient(options: OutboundClientOptions): OutboundClient {
  const policy = createAddressPolicy(options);
  const agent = new Agent({ connect: { lookup: guardedLookup(options.resolve ?? systemResolve, policy) } });

  async function follow(start: URL, request: OutboundRequest, signal: AbortSignal): Promise<OutboundResponse> {
    let url = start;
    let method: HttpMethod = request.method ?? 'GET';
    let body = request.body;
    const headers: Record<string, string> = options.userAgent ? { 'user-agent': options.userAgent } : {};
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;

    for (let redirects = 0; ; redirects += 1) {
      assertAllowedHost(url, policy);
      const response = await agent.request({ origin: url.origin, path: url.pathname + url.search, method, headers, body, signal });
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.statusCode) || typeof location !== 'string') {
        const responseBody = await readBody(response, method, request.maxBytes ?? DEFAULT_MAX_BYTES, url, signal);
        return { status: response.statusCode, headers: flattenHeaders(response.headers), body: responseBody, url: url.href };
      }
      await response.body.dump({ limit: DRAIN_LIMIT, signal });
      if (redirects === MAX_REDIRECTS) throw new OutboundError('too_many_redirects', `more than ${MAX_REDIRECTS} redirects from ${start.origin}`);
      const next = parseTarget(location, url);
      // What browsers do: a 303, or a 301/302 answering a POST, turns the request into a GET.
      if (response.statusCode === 303 ? method !== 'GET' && method !== 'HEAD' : response.statusCode <= 302 && method === 'POST') {
        method = 'GET';
        body = undefined;
        for (const name of BODY_HEADERS) delete headers[name];
      }
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      url = next;
    }
  }

  return {
    async fetch(raw, request = {}) {
      const start = parseTarget(raw);
      const timeoutMs = request.timeoutMs ?? options.timeoutMs;
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        return await follow(start, request, signal);
      } catch (error) {
        if (error instanceof OutboundError) throw error;
        if (signal.aborted) throw new OutboundError('timeout', `${start.origin} took longer than ${timeoutMs} ms`, { cause: error });
        // A malformed request (say, a header value with a newline) is the caller's bug, not the network's.
        if (error instanceof errors.InvalidArgumentError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new OutboundError('network', `request to ${start.origin} failed: ${message}`, { cause: error });
      }
    },
    close: () => agent.close(),
  };
}
