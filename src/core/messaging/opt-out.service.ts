/**
 * STOP and START: a customer's message that is exactly one of the opt-out keywords
 * (OPT_OUT_KEYWORDS: STOP, UNSUBSCRIBE, BAJA by default) unsubscribes its profile, one of the
 * opt-in keywords (OPT_IN_KEYWORDS: START…) subscribes it again, and either is answered with
 * a confirmation on the channel it came from. The confirmation is transactional: it reaches an
 * unsubscribed profile, never a blocked one or a suppressed address.
 */
import { subscribeProfile, unsubscribeProfile } from '../audience/profiles.service.js';
import { DomainError } from '../shared/errors.js';
import type { TenantContext } from '../shared/tenant.js';
import type { ChannelRow } from './channels.model.js';
import type { MessageRow } from './messages.model.js';
import { sendMessage } from './messages.send.js';
import { keywordOf, type Keyword } from './opt-out.keywords.js';

/** Obeys a keyword in an inbound message (in its transaction) and answers it; anything else is left alone. */
export async function answerKeyword(ctx: TenantContext, inbound: MessageRow, channel: ChannelRow): Promise<Keyword | undefined> {
  const keyword = keywordOf(inbound.body, ctx.config);
  if (keyword === undefined || inbound.profile_id === null) return undefined;
  if (keyword === 'opt_out') await unsubscribeProfile(ctx, inbound.profile_id);
  else await subscribeProfile(ctx, inbound.profile_id);
  const body = keyword === 'opt_out' ? ctx.config.OPT_OUT_REPLY : ctx.config.OPT_IN_REPLY;
  try {
    await sendMessage(ctx, { profileId: inbound.profile_id, body, channelId: channel.id, destination: inbound.origin, transactional: true });
  } catch (error) {
    // Blocked, suppressed, an inactive channel: the (un)subscription stands, unanswered.
    if (!(error instanceof DomainError)) throw error;
    ctx.logger.info({ profile: inbound.profile_id, channel: channel.id, reason: error.message }, 'keyword confirmation not sent');
  }
  return keyword;
}
