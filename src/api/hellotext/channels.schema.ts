import { Type, type Static } from 'typebox';

/** Wire shapes of channels (our extension of the Hellotext API). */

export const ChannelTechnology = Type.Union([Type.Literal('sms'), Type.Literal('whatsapp'), Type.Literal('instagram'), Type.Literal('mercadolibre'), Type.Literal('email')]);
export const ChannelProviderName = Type.Union([Type.Literal('dev-inbox'), Type.Literal('smtp'), Type.Literal('smpp'), Type.Literal('http-sms'), Type.Literal('whatsapp-cloud')]);

export const ChannelObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('channel'),
  technology: ChannelTechnology,
  origin: Type.String({ description: 'What messages are sent from: a number or sender id, an address, an account.' }),
  provider: ChannelProviderName,
  settings: Type.Record(Type.String(), Type.Unknown(), { description: 'The provider’s settings without its secrets, which are write-only (see docs/providers.md).' }),
  rate: Type.Number({ description: 'Messages per second, shared by every worker.' }),
  active: Type.Boolean(),
  webhook_url: Type.Union([Type.String(), Type.Null()], { description: 'Where the provider posts receipts and customers’ messages (http-sms, whatsapp-cloud); null for the others.' }),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
});

export type ChannelObject = Static<typeof ChannelObject>;

export const ChannelListQuery = Type.Object({ technology: Type.Optional(Type.String({ description: 'Only channels of this technology.' })) });
