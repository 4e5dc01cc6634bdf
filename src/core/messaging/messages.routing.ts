/**
 * Which channel a message leaves through and to which of the profile's addresses: the
 * requested technology or origin when given, else the first reachable technology in the
 * reference's order (WhatsApp, Instagram, SMS). WhatsApp counts as reachable for a free-form
 * body only inside the customer service window.
 */
import type { Profile } from '../audience/profile.model.js';
import { businessCountry } from '../business/business-country.js';
import { epochSeconds } from '../shared/clock.js';
import { DomainError, invalid } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import type { Template } from './templates.model.js';
import { templateUsableOn } from './templates.sending.js';
import { bareAddress, checkedDestination, digitsOf } from './channels.addresses.js';
import { AUTOMATIC_PRIORITY, isTechnology, ORIGIN_PRIORITY, TECHNOLOGIES, type ChannelRow, type Technology } from './channels.model.js';
import { activeChannels } from './channels.repository.js';
import { WINDOW_SECONDS } from './messages.model.js';
import { lastInboundAt, lastSenderAddress } from './messages.repository.js';

export interface RouteRequest {
  readonly technology?: string | undefined;
  readonly origin?: string | undefined;
  readonly destination?: string | undefined;
  /** Internal: this channel only (answers go out where the customer wrote). */
  readonly channelId?: number | undefined;
  readonly template?: Template | undefined;
}

export interface Route {
  readonly channel: ChannelRow;
  readonly technology: Technology;
  readonly destination: string;
}

type Miss = 'no_address' | 'window_closed' | 'template_other_platform' | 'destination_not_of_profile';

const ADDRESS_KIND: Readonly<Record<Technology, string>> = {
  sms: 'phone number',
  whatsapp: 'phone number',
  email: 'email address',
  mercadolibre: 'MercadoLibre user',
  instagram: 'Instagram conversation',
};

/** The profile's addresses on a technology, default first. */
async function addressesOf(ctx: TenantContext, profile: Profile, technology: Technology): Promise<string[]> {
  const values = (kind: 'phone' | 'email' | 'mercadolibre') => profile.properties.filter((property) => property.kind === kind && typeof property.value === 'string').map((property) => String(property.value));
  switch (technology) {
    case 'sms':
    case 'whatsapp':
      return values('phone');
    case 'email':
      return values('email');
    case 'mercadolibre':
      return values('mercadolibre');
    case 'instagram': {
      // Instagram users are no profile property: a profile is reachable where it wrote from.
      const sender = await lastSenderAddress(ctx.tenant, profile.id, 'instagram');
      return sender === undefined ? [] : [sender];
    }
  }
}

export async function windowOpen(ctx: TenantContext, profileId: number, technology?: Technology): Promise<boolean> {
  const last = await lastInboundAt(ctx.tenant, profileId, technology);
  return last !== undefined && last > epochSeconds(ctx.clock) - WINDOW_SECONDS;
}

function missError(technology: Technology, miss: Miss): DomainError {
  switch (miss) {
    case 'no_address':
      return invalid('destination', `The profile has no ${ADDRESS_KIND[technology]} to send a ${technology} message to.`);
    case 'destination_not_of_profile':
      return invalid('destination', `The destination is not one of the profile's ${ADDRESS_KIND[technology]}s.`);
    case 'window_closed':
      return new DomainError(
        'not_allowed',
        'The profile has not written on WhatsApp in the last 24 hours: outside the customer service window only a template message may be sent.',
        'body',
      );
    case 'template_other_platform':
      return invalid('template', `This template cannot be sent through ${technology}: SMS templates go by SMS, WhatsApp ones by WhatsApp, and "any" ones by WhatsApp once WhatsApp approved them.`);
  }
}

function sameOrigin(channel: ChannelRow, origin: string): boolean {
  if (channel.origin === origin) return true;
  // An email origin is its address, with or without the display name.
  if (channel.technology === 'email') return bareAddress(channel.origin) === bareAddress(origin).toLowerCase();
  const phoneLike = channel.technology === 'sms' || channel.technology === 'whatsapp';
  return phoneLike && digitsOf(origin) !== '' && digitsOf(channel.origin) === digitsOf(origin) && /^\+?[\d\s().-]+$/.test(origin);
}

export async function chooseRoute(ctx: TenantContext, profile: Profile, request: RouteRequest): Promise<Route> {
  let channels = await activeChannels(ctx.tenant);
  if (request.channelId !== undefined) channels = channels.filter((channel) => channel.id === request.channelId);
  let requested: Technology | undefined;
  if (request.technology !== undefined) {
    if (!isTechnology(request.technology)) throw invalid('technology', `The technology is one of ${TECHNOLOGIES.join(', ')}.`);
    requested = request.technology;
    channels = channels.filter((channel) => channel.technology === requested);
    if (channels.length === 0) throw invalid('technology', `The business has no active ${requested} channel.`);
  }
  const origin = request.origin?.trim();
  if (origin) {
    channels = channels.filter((channel) => sameOrigin(channel, origin));
    if (channels.length === 0) throw invalid('origin', `No active${requested ? ` ${requested}` : ''} channel of the business sends from ${origin}.`);
  }
  const order = requested ? [requested] : origin || request.channelId !== undefined ? ORIGIN_PRIORITY : AUTOMATIC_PRIORITY;
  const country = await businessCountry(ctx);
  const misses: Array<[Technology, Miss]> = [];

  for (const technology of order) {
    const channel = channels.find((candidate) => candidate.technology === technology);
    if (!channel) continue;
    const template = request.template;
    if (template && !templateUsableOn(template, technology)) {
      misses.push([technology, 'template_other_platform']);
      continue;
    }
    const addresses = await addressesOf(ctx, profile, technology);
    let destination: string | undefined;
    if (request.destination !== undefined) {
      let given: string;
      try {
        given = checkedDestination(technology, request.destination, country);
      } catch (error) {
        // In automatic choice a destination of another kind (an email for SMS) just rules this technology out.
        if (requested) throw error;
        continue;
      }
      // An Instagram user is known only from its messages; any other address must be the profile's.
      if (technology !== 'instagram' && !addresses.includes(given)) {
        misses.push([technology, 'destination_not_of_profile']);
        continue;
      }
      destination = given;
    } else destination = addresses[0];
    if (destination === undefined) {
      misses.push([technology, 'no_address']);
      continue;
    }
    if (technology === 'whatsapp' && !template && !(await windowOpen(ctx, profile.id, 'whatsapp'))) {
      misses.push([technology, 'window_closed']);
      continue;
    }
    return { channel, technology, destination };
  }

  const [first] = misses;
  if (requested || origin || request.channelId !== undefined) {
    if (first) throw missError(first[0], first[1]);
    throw invalid('technology', 'No active channel of the business can carry this message.');
  }
  if (request.destination !== undefined && first?.[1] === 'destination_not_of_profile') throw missError(first[0], first[1]);
  throw invalid('profile', 'The profile cannot be reached through any of the business’s active channels (WhatsApp, Instagram or SMS).');
}
