import type { TrackableType } from '../../store/tables.js';
import { DomainError } from '../shared/errors.js';

/**
 * What each built-in action family requires, as the tracking reference states it. Custom
 * actions take any one trackable or none.
 */
export interface ActionRule {
  /** The trackable this action is tracked for; `product` also accepts a variant. */
  readonly trackable: TrackableType | undefined;
  readonly trackableRequired: boolean;
  /** app.spent: revenue is the point of the event. */
  readonly moneyRequired: boolean;
  /** cart.added / cart.removed: products to move in or out of a cart. */
  readonly cartItems: boolean;
}

const FAMILY_TRACKABLE: Readonly<Record<string, TrackableType>> = {
  app: 'app',
  cart: 'cart',
  coupon: 'coupon',
  form: 'form',
  order: 'order',
  product: 'product',
  refund: 'refund',
};

export function ruleOf(action: string, builtin: boolean): ActionRule {
  if (!builtin) return { trackable: undefined, trackableRequired: false, moneyRequired: false, cartItems: false };
  const family = action.slice(0, action.indexOf('.'));
  const trackable = FAMILY_TRACKABLE[family];
  // cart.added/removed create a cart when none is given; they require products instead.
  const cartItems = action === 'cart.added' || action === 'cart.removed';
  return { trackable, trackableRequired: trackable !== undefined && !cartItems, moneyRequired: action === 'app.spent', cartItems };
}

export function missingTrackable(type: TrackableType): DomainError {
  return new DomainError('missing', `This action is tracked for a ${type.replace('_', ' ')}: give ${type} or ${type}_parameters.`, type);
}
