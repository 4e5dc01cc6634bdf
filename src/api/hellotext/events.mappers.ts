import { amountNumber, formatAmount } from '../../core/commerce/money.js';
import type { TrackedEvent } from '../../core/tracking/events.service.js';
import type { Session } from '../../core/tracking/sessions.service.js';
import type { TrackableSummary } from '../../core/tracking/trackables.repository.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { EventObject, SessionObject } from './events.schema.js';

function trackableObject(summary: TrackableSummary, ids: PublicIds): NonNullable<EventObject['trackable']> {
  const object: NonNullable<EventObject['trackable']> = { id: ids.encode(summary.type, summary.id), type: summary.type };
  if (summary.name !== undefined) object.name = summary.name;
  if (summary.code !== undefined) object.code = summary.code;
  if (summary.amountE4 !== undefined) object.amount = summary.amountE4 === null ? null : amountNumber(summary.amountE4);
  if (summary.currency !== undefined) object.currency = summary.currency;
  if (summary.productId !== undefined) object.product = ids.encode('product', summary.productId);
  if (summary.productIds !== undefined) object.product_ids = summary.productIds.map((id) => ids.encode('product', id));
  return object;
}

export function eventObject(event: TrackedEvent, ids: PublicIds): EventObject {
  return {
    id: ids.encode('event', event.id),
    type: 'event',
    action: { id: ids.encode('action', event.action.id), name: event.action.name, title: event.action.title },
    amount: event.money ? amountNumber(event.money.e4) : null,
    converted_amount: event.converted ? formatAmount(event.converted.e4, event.converted.currency) : null,
    converted_amount_currency: event.converted?.currency ?? null,
    created_at: event.createdAt,
    currency: event.money?.currency ?? null,
    metadata: event.metadata,
    profile: event.profileId === null ? null : ids.encode('profile', event.profileId),
    session: event.sessionId === null ? null : ids.encode('session', event.sessionId),
    trackable: event.trackable ? trackableObject(event.trackable, ids) : null,
    tracked_at: String(event.trackedAt),
    url: event.url,
  };
}

export const sessionObject = (session: Session, ids: PublicIds): SessionObject => ({
  id: ids.encode('session', session.id),
  type: 'session',
  profile: session.profileId === null ? null : ids.encode('profile', session.profileId),
  created_at: session.createdAt,
  uuid: session.uuid,
});
