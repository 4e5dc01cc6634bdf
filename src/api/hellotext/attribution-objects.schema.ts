import { Type, type Static } from 'typebox';

/** Wire shapes of the objects events are tracked for and with, as the Hellotext reference documents them. */

const Metadata = Type.Record(Type.String(), Type.Unknown(), { description: 'Key-value pairs attached to the object.' });

export const AppObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('app'),
  created_at: Type.Integer(),
  image_url: Type.Union([Type.String(), Type.Null()], { description: 'As given; the image is downloaded and kept (docs/commerce.md, Images).' }),
  metadata: Metadata,
  name: Type.String(),
});

export const FormObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('form'),
  created_at: Type.Integer(),
  metadata: Metadata,
  name: Type.String(),
});

export const CouponObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('coupon'),
  code: Type.String({ description: 'Redeemable code, case-sensitive and unique.' }),
  created_at: Type.Integer(),
  description: Type.String(),
  destination_url: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
});

export const ActionObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('action'),
  created_at: Type.Integer(),
  goal: Type.Boolean({ description: 'Counted as a KPI in campaign and journey reports.' }),
  name: Type.String(),
  passive: Type.Boolean({ description: 'Passive events leave the conversation where it is in the inbox.' }),
  title: Type.String(),
});

export type AppObject = Static<typeof AppObject>;
export type FormObject = Static<typeof FormObject>;
export type CouponObject = Static<typeof CouponObject>;
export type ActionObject = Static<typeof ActionObject>;
