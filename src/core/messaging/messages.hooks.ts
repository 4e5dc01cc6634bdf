/**
 * Provider webhooks, `/hooks/<provider>/<channel id>`: the channel named in the URL says whose
 * settings verify the request; a verified one's receipts and customers' messages are stored
 * before the peer gets its answer, so a failure to store answers 5xx and the peer retries.
 */
import { InvalidSettingsError, parseWebhook } from '../../channels/providers.js';
import type { WebhookReply, WebhookRequest } from '../../channels/provider.js';
import type { CoreContext } from '../context.js';
import { isChannelProvider, storedSettings } from './channels.model.js';
import { findChannelAnyBusiness } from './channels.repository.js';
import { applyReceipt, receiveInbound } from './messages.receipts.js';
import { forBusiness } from '../shared/tenant.js';
import { applyTemplateStatus } from './templates.states.js';

const text = (status: number, body: string): WebhookReply => ({ status, contentType: 'text/plain; charset=utf-8', body });

export async function handleProviderWebhook(ctx: CoreContext, provider: string, channelId: number | undefined, request: WebhookRequest): Promise<WebhookReply> {
  if (!isChannelProvider(provider) || provider === 'dev-inbox' || channelId === undefined) return text(404, 'no such hook');
  const channel = await findChannelAnyBusiness(ctx.db, channelId);
  // The same answer for a channel that does not exist and one of another provider: nothing to probe.
  if (!channel || channel.provider !== provider) return text(404, 'no such hook');
  let result;
  try {
    result = parseWebhook(provider, storedSettings(channel), request);
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    ctx.logger.error({ err: error, channel: channel.id }, 'a webhook arrived for a channel whose settings are invalid');
    return text(503, 'channel misconfigured');
  }
  if (result.kind === 'rejected') {
    ctx.logger.warn({ channel: channel.id, provider, status: result.status, reason: result.reason }, 'provider webhook rejected');
    return text(result.status, result.reason);
  }
  try {
    for (const receipt of result.receipts) await applyReceipt(ctx, channel.id, receipt, { waitForRecord: true });
    for (const inbound of result.inbound) await receiveInbound(ctx, channel.id, inbound);
    for (const update of result.templateUpdates ?? []) {
      // Found within the channel's business: another business's template id reaches nothing.
      const moved = await applyTemplateStatus(forBusiness(ctx, channel.business_id), update);
      ctx.logger.info({ channel: channel.id, providerTemplateId: update.providerTemplateId, event: update.event, moved }, 'WhatsApp template status');
    }
  } catch (error) {
    ctx.logger.error({ err: error, channel: channel.id }, 'storing a provider webhook failed; the peer will deliver it again');
    return text(503, 'try again later');
  }
  return result.reply;
}
