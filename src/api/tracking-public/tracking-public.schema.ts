import { Type } from 'typebox';

/**
 * Wire shapes of the public tracking protocol (the one Hellotext's browser library and
 * mobile SDK speak). Bodies are documented field by field but typed loosely: the routes'
 * readers check each field and name it in their refusal, as on the rest of `/v1`.
 */

const field = (description: string) => Type.Optional(Type.Unknown({ description }));

export const Received = Type.Object({ status: Type.Literal('received') });

export const SessionCreated = Type.Object({ id: Type.String({ description: 'A new session token (a UUID).' }) });

export const TrackEventBody = Type.Object(
  {
    session: Type.String({ description: 'The session token the browser holds (hello_session or a client UUID); required.' }),
    action: Type.String({ description: 'A built-in action (product.viewed, cart.added, …) or a custom action of the business.' }),
    page: field('{url, title, path} of the page the event happened on; url becomes the event url.'),
    url: field('The event url, when no page.url is given.'),
    utm_params: field('UTM parameters of the visit, kept with the event.'),
    user_parameters: field('Anything the page knows of the visitor, kept with the event.'),
    device: field('What the SDK reports of the device, kept with the event.'),
    amount: field('Decimal amount.'),
    currency: field('ISO 4217 code of amount; default USD.'),
    metadata: field('Hash of key-value pairs.'),
    tracked_at: field('When the event happened (epoch seconds); default now.'),
    object: field('Id of the tracked object (a product, an order…), of object_type.'),
    object_type: field('app, cart, coupon, form, order, product, product_variant or refund.'),
    object_parameters: field(
      'The tracked object inline, as that type\u2019s *_parameters: apps, carts, forms, orders, products and variants only (never coupons or refunds), without profile, session or order keys.',
    ),
    app_parameters: field('An app inline.'),
  },
  { additionalProperties: true },
);

export const AckBody = Type.Object(
  {
    session: field('The session token; an ack without one is accepted and ignored.'),
    utm_params: field('UTM parameters the visitor landed with (recorded on the first ack).'),
    at: field('Client time of the ack; the server records its own.'),
  },
  { additionalProperties: true },
);

export const IdentificationBody = Type.Object(
  {
    session: Type.String({ description: 'The session token to attach.' }),
    user_id: field("The business's own id of the customer (the profile's reference)."),
    email: field('Email address.'),
    phone: field('Phone number (local numbers read in the business country).'),
    name: field('Full name, split at the first space unless first_name or last_name is given.'),
    first_name: field('First name.'),
    last_name: field('Last name.'),
    source: field('Where the identification happened, kept in the profile trail.'),
  },
  { additionalProperties: true },
);

export const PublicBusinessParams = Type.Object({ id: Type.String({ description: 'The public business id.' }) });

export const PublicBusinessObject = Type.Object({
  id: Type.String({ description: 'The public business id.' }),
  country: Type.Object({
    code: Type.String({ description: 'ISO 3166-1 alpha-2.' }),
    prefix: Type.Union([Type.String(), Type.Null()], { description: 'International calling code, e.g. "+598".' }),
  }),
  locale: Type.String({ description: "Language of the business's pages: its country's main language." }),
  features: Type.Object({
    tracking: Type.Boolean(),
    identifications: Type.Boolean(),
    forms: Type.Boolean(),
    webchat: Type.Boolean(),
  }),
  webchat: Type.Null(),
  whatsapp: Type.Null(),
  whitelist: Type.Literal('disabled'),
  style_url: Type.Null(),
});
