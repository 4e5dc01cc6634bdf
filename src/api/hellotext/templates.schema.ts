import { Type, type Static } from 'typebox';

/** Wire shapes of the template object, as the Hellotext reference documents them. */

const Text = Type.Union([Type.String(), Type.Null()]);

export const TemplateButtonObject = Type.Union([
  Type.Object({ type: Type.Literal('url'), text: Type.String(), url: Type.String() }),
  Type.Object({ type: Type.Literal('phone'), phone: Type.String(), text: Type.String() }),
  Type.Object({ type: Type.Literal('quick_reply'), text: Type.String() }),
  Type.Object({ type: Type.Literal('copy'), copy: Type.String(), text: Type.String() }),
]);

const HeaderAddress = Type.Object({
  city: Text,
  country: Text,
  latitude: Type.Union([Type.String({ description: 'BigDecimal notation, as profile addresses.' }), Type.Null()]),
  longitude: Type.Union([Type.String(), Type.Null()]),
  notes: Text,
  postal_code: Text,
  region: Text,
  street: Type.Object({ name: Text, number: Text }),
  subregion: Text,
});

export const TemplateHeaderObject = Type.Union([
  Type.Object({ type: Type.Literal('text'), text: Type.String() }),
  Type.Object({ type: Type.Literal('attachment'), attachment_url: Type.String() }),
  Type.Object({ type: Type.Literal('address'), address: HeaderAddress }),
]);

export const TemplateObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('template'),
  body: Type.String(),
  buttons: Type.Array(TemplateButtonObject, { description: 'In display order.' }),
  created_at: Type.Integer(),
  footer: Text,
  header: Type.Union([TemplateHeaderObject, Type.Null()]),
  name: Type.String(),
  state: Type.Union([Type.Literal('approved'), Type.Literal('pending'), Type.Literal('rejected'), Type.Literal('paused')]),
  technology: Type.Union([Type.Literal('any'), Type.Literal('sms'), Type.Literal('whatsapp')], { description: 'The target platform.' }),
});

export type TemplateObject = Static<typeof TemplateObject>;
export type TemplateButtonObject = Static<typeof TemplateButtonObject>;
export type TemplateHeaderObject = Static<typeof TemplateHeaderObject>;
