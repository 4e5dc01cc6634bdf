import { randomBytes } from 'node:crypto';
import { recordActivity } from '../audience/activity.service.js';
import { parseUrl } from '../audience/property-values.contact.js';
import type { CoreContext } from '../context.js';
import { epochSeconds } from '../shared/clock.js';
import { invalid } from '../shared/errors.js';
import { forBusiness, inTransaction, type TenantContext } from '../shared/tenant.js';
import { createSession } from '../tracking/sessions.service.js';
import { codeInUse, countClick, findShortLinkByCode, insertShortLink } from './short-links.repository.js';

/**
 * Short links: `${PUBLIC_URL}/s/<code>` stands for a destination in a message. A click opens
 * a tracking session tied to the link's profile, message and campaign and hands its token to
 * the destination as `hello_session`, so what the visitor does there is attributed to the
 * message (event ingestion copies the session's message and campaign onto each event).
 */

export interface ShortLinkInput {
  readonly destination: string;
  readonly messageId?: number | undefined;
  readonly profileId?: number | undefined;
  readonly campaignId?: number | undefined;
}

/** Letters and digits only: phones' link detection never cuts a code short at a "-" or "_". */
const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 62^10 ≈ 8·10^17 codes: short in an SMS, and no one finds a live link by guessing. */
const CODE_LENGTH = 10;
const CODE_FORM = /^[A-Za-z0-9]{1,32}$/;
/** Campaign URLs carry long tracking queries; beyond this a destination is no link. */
const MAX_DESTINATION = 8192;
const INSERT_TRIES = 5;

/** Uniformly random: bytes at or above the largest multiple of 62 are drawn again. */
function newCode(): string {
  const limit = 256 - (256 % CODE_ALPHABET.length);
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const byte of randomBytes(CODE_LENGTH * 2)) {
      if (byte < limit && code.length < CODE_LENGTH) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    }
  }
  return code;
}

/** An absolute http(s) URL in its normalised form, which is also safe in a Location header. */
function checkedDestination(destination: string): string {
  const href = new URL(parseUrl(destination, 'destination')).href;
  if (href.length > MAX_DESTINATION) throw invalid('destination', `A link destination has at most ${MAX_DESTINATION} characters.`);
  return href;
}

/**
 * Shortens `destination` for a message. Runs in the caller's transaction when there is one
 * (the message and its links are written together). The ids are the caller's, already of
 * this business.
 */
export async function createShortLink(ctx: TenantContext, input: ShortLinkInput): Promise<{ code: string; url: string }> {
  const destination = checkedDestination(input.destination);
  for (let attempt = 0; attempt < INSERT_TRIES; attempt += 1) {
    const code = newCode();
    // Codes are unique per business by index; a click finds them by code alone, so a code
    // another business holds is skipped too.
    if (await codeInUse(ctx.db, code)) continue;
    const row = await insertShortLink(ctx.tenant, {
      code,
      destination,
      message_id: input.messageId ?? null,
      profile_id: input.profileId ?? null,
      campaign_id: input.campaignId ?? null,
      created_at: epochSeconds(ctx.clock),
    });
    if (row) return { code, url: `${ctx.config.PUBLIC_URL}/s/${code}` };
  }
  throw new Error(`no free short link code after ${INSERT_TRIES} tries`);
}

/**
 * `destination` with `hello_session=<token>` in its query. The rest of the query and the
 * fragment are kept byte for byte (re-serialising them could change what the shop reads);
 * a `hello_session` already there is replaced.
 */
export function withSessionToken(destination: string, token: string): string {
  const hashAt = destination.indexOf('#');
  const base = hashAt === -1 ? destination : destination.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : destination.slice(hashAt);
  const queryAt = base.indexOf('?');
  const path = queryAt === -1 ? base : base.slice(0, queryAt);
  const pairs = queryAt === -1 ? [] : base.slice(queryAt + 1).split('&');
  const kept = pairs.filter((pair) => pair !== '' && pair.split('=', 1)[0] !== 'hello_session');
  return `${path}?${[...kept, `hello_session=${token}`].join('&')}${fragment}`;
}

/**
 * A click: counts it, opens a session for the link's profile, message and campaign, puts a
 * `link_clicked` entry in the profile's trail, and answers where to send the visitor.
 * Undefined when no link has this code.
 */
export async function followShortLink(ctx: CoreContext, code: string): Promise<string | undefined> {
  if (!CODE_FORM.test(code)) return undefined;
  const link = await findShortLinkByCode(ctx.db, code);
  if (!link) return undefined;
  return inTransaction(forBusiness(ctx, link.business_id), async (trx) => {
    await countClick(trx.tenant, link.id);
    const session = await createSession(trx, {
      source: 'link',
      profileId: link.profile_id ?? undefined,
      messageId: link.message_id ?? undefined,
      campaignId: link.campaign_id ?? undefined,
    });
    if (link.profile_id !== null) await recordActivity(trx, link.profile_id, 'link_clicked', { url: link.destination, code: link.code });
    return withSessionToken(link.destination, session.uuid);
  });
}

/**
 * Where a link leads, without counting or opening a session: for HEAD requests, which link
 * checkers and previewers send, not people.
 */
export async function peekShortLink(ctx: CoreContext, code: string): Promise<string | undefined> {
  if (!CODE_FORM.test(code)) return undefined;
  return (await findShortLinkByCode(ctx.db, code))?.destination;
}
