import { Type, type Static } from 'typebox';

/** Wire shapes of events and sessions, as the Hellotext reference documents them. */

export const TrackableObject = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    code: Type.Optional(Type.String()),
    amount: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    currency: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    product: Type.Optional(Type.String()),
    product_ids: Type.Optional(Type.Array(Type.String())),
  },
  { description: 'The object the event was tracked for; null when none or deleted since.' },
);

export const EventObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('event'),
  action: Type.Object({ id: Type.String(), name: Type.String(), title: Type.String() }),
  amount: Type.Union([Type.Number(), Type.Null()]),
  converted_amount: Type.Union([Type.String(), Type.Null()], { description: "In the business's reporting currency, at the rate of the day the event arrived." }),
  converted_amount_currency: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Integer(),
  currency: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  profile: Type.Union([Type.String(), Type.Null()]),
  session: Type.Union([Type.String(), Type.Null()]),
  trackable: Type.Union([TrackableObject, Type.Null()]),
  tracked_at: Type.String({ description: 'Epoch seconds, as a string like the reference shows it.' }),
  url: Type.Union([Type.String(), Type.Null()]),
});
export type EventObject = Static<typeof EventObject>;

export const TrackedResponse = Type.Object({
  status: Type.Literal('received'),
  state: Type.Literal('ok', { description: 'The external-tracking guide shows {"state": "ok"}; both keys are sent.' }),
});

export const SessionObject = Type.Object({
  id: Type.String(),
  type: Type.Literal('session'),
  profile: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Integer(),
  uuid: Type.String(),
});
export type SessionObject = Static<typeof SessionObject>;
