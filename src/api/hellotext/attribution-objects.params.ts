import type { AppInput } from '../../core/commerce/apps.service.js';
import type { CouponInput } from '../../core/commerce/coupons.service.js';
import type { FormInput } from '../../core/commerce/forms.service.js';
import type { ActionInput } from '../../core/tracking/actions.service.js';
import { bodyOf, booleanParameter, recordField, textField, type Body } from './body-fields.js';

/**
 * Maps the parameters of apps, forms, coupons and actions onto the core's inputs. Event
 * tracking reads its `app_parameters`, `form_parameters` and `coupon_parameters` hashes with
 * the same functions.
 */

/** `metadata`: a JSON null clears it, like the empty form value (`metadata=`) does. */
function metadataField(body: Body): Record<string, unknown> | undefined {
  return body.metadata === null ? {} : recordField(body, 'metadata');
}

export function appInputFrom(body: unknown): AppInput {
  const fields = bodyOf(body);
  return { name: textField(fields, 'name'), imageUrl: textField(fields, 'image_url'), metadata: metadataField(fields) };
}

export function formInputFrom(body: unknown): FormInput {
  const fields = bodyOf(body);
  return { name: textField(fields, 'name'), metadata: metadataField(fields) };
}

export function couponInputFrom(body: unknown): CouponInput {
  const fields = bodyOf(body);
  return {
    code: textField(fields, 'code'),
    description: textField(fields, 'description'),
    destinationUrl: textField(fields, 'destination_url'),
    reference: textField(fields, 'reference'),
  };
}

export function actionInputFrom(body: unknown): ActionInput {
  const fields = bodyOf(body);
  return {
    name: textField(fields, 'name'),
    title: textField(fields, 'title'),
    goal: booleanParameter(fields.goal, 'goal'),
    passive: booleanParameter(fields.passive, 'passive'),
  };
}
