import type { App } from '../../core/commerce/apps.service.js';
import type { Coupon } from '../../core/commerce/coupons.service.js';
import type { Form } from '../../core/commerce/forms.service.js';
import type { Action } from '../../core/tracking/actions.service.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import type { ActionObject, AppObject, CouponObject, FormObject } from './attribution-objects.schema.js';

/** One function per wire object: rows never reach a client unmapped. */

export const appObject = (app: App, ids: PublicIds): AppObject => ({
  id: ids.encode('app', app.id),
  type: 'app',
  created_at: app.createdAt,
  image_url: app.imageUrl,
  metadata: app.metadata,
  name: app.name,
});

export const formObject = (form: Form, ids: PublicIds): FormObject => ({
  id: ids.encode('form', form.id),
  type: 'form',
  created_at: form.createdAt,
  metadata: form.metadata,
  name: form.name,
});

export const couponObject = (coupon: Coupon, ids: PublicIds): CouponObject => ({
  id: ids.encode('coupon', coupon.id),
  type: 'coupon',
  code: coupon.code,
  created_at: coupon.createdAt,
  description: coupon.description,
  destination_url: coupon.destinationUrl,
  reference: coupon.reference,
});

export const actionObject = (action: Action, ids: PublicIds): ActionObject => ({
  id: ids.encode('action', action.id),
  type: 'action',
  created_at: action.createdAt,
  goal: action.goal,
  name: action.name,
  passive: action.passive,
  title: action.title,
});
