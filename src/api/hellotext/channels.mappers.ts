import type { Channel } from '../../core/messaging/channels.model.js';
import { isRecord } from './body-fields.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { ChannelObject } from './channels.schema.js';

/** Providers whose peers call back over HTTP. */
const HOOKED_PROVIDERS = new Set(['http-sms', 'whatsapp-cloud']);

export function channelObject(channel: Channel, ids: PublicIds, publicUrl: string): ChannelObject {
  return {
    id: ids.encode('channel', channel.id),
    type: 'channel',
    technology: channel.technology,
    origin: channel.origin,
    provider: channel.provider,
    settings: isRecord(channel.settings) ? channel.settings : {},
    rate: channel.rate,
    active: channel.active,
    // The hook names the channel by its key: the worker builds callback URLs without the id codec.
    webhook_url: HOOKED_PROVIDERS.has(channel.provider) ? `${publicUrl}/hooks/${channel.provider}/${channel.id}` : null,
    created_at: channel.createdAt,
    updated_at: channel.updatedAt,
  };
}
