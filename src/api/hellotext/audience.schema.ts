import { Type, type Static } from 'typebox';

/** Wire shapes of the audience objects, as the Hellotext reference documents them. */

export const ListObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('list'),
  name: Type.String(),
  created_at: Type.Integer(),
});

export const ProfilePropertyObject = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  value: Type.Unknown({ description: 'Kind-specific: see "Property kinds".' }),
  verified: Type.Optional(Type.Boolean({ description: 'email and phone only' })),
});

export const ProfileObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('profile'),
  blocked: Type.Boolean(),
  created_at: Type.Integer(),
  emails: Type.Array(Type.String()),
  first_name: Type.Union([Type.String(), Type.Null()]),
  last_name: Type.Union([Type.String(), Type.Null()]),
  lists: Type.Array(ListObject),
  phones: Type.Array(Type.String()),
  properties: Type.Array(ProfilePropertyObject),
  state: Type.Union([Type.Literal('unconfirmed'), Type.Literal('subscribed'), Type.Literal('unsubscribed')]),
  verified_emails: Type.Array(Type.String()),
  verified_phones: Type.Array(Type.String()),
  // Extensions beyond the reference:
  timezone: Type.String({ description: 'Extension: explicit, else from the default phone, else the business time zone.' }),
  language: Type.Union([Type.String(), Type.Null()], { description: 'Extension.' }),
  reference: Type.Union([Type.String(), Type.Null()], { description: "Extension: the business's own id of the customer." }),
  last_activity_at: Type.Integer({ description: 'Extension: time of the last tracked event or message (creation until then).' }),
});

export const PropertyObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('property'),
  created_at: Type.Integer(),
  kind: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  position: Type.Integer(),
  profile: Type.Union([Type.String(), Type.Null()]),
  unique: Type.Boolean(),
});

export const SuppressionObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('suppression'),
  channel: Type.Union([Type.Literal('email'), Type.Literal('phone')]),
  address: Type.String(),
  reason: Type.String(),
  created_at: Type.Integer(),
});

export const ActivityObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('activity'),
  kind: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  occurred_at: Type.Integer(),
});

export const Deleted = (type: string) =>
  Type.Object({ id: Type.String(), type: Type.Literal(type), deleted: Type.Literal(true) });

export type ProfileObject = Static<typeof ProfileObject>;
export type PropertyObject = Static<typeof PropertyObject>;
export type ListObject = Static<typeof ListObject>;
export type SuppressionObject = Static<typeof SuppressionObject>;
export type ActivityObject = Static<typeof ActivityObject>;

/** Path parameter `:id` of every object route. */
export const IdParams = Type.Object({ id: Type.String() });

/** Request bodies arrive as JSON or bracket-notation forms; their parameters are read by the routes. */
export const AnyBody = Type.Record(Type.String(), Type.Unknown());
