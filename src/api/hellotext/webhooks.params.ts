import type { WebhookInput } from '../../core/webhooks/webhooks.service.js';
import { arrayField, bodyOf, booleanParameter, textField } from './body-fields.js';

/** `events` arrives as a JSON array or as `events[]=…` in a form; both read as one array. */
export function webhookInputFrom(body: unknown): WebhookInput {
  const fields = bodyOf(body);
  return { url: textField(fields, 'url'), events: arrayField(fields, 'events'), active: booleanParameter(fields.active, 'active') };
}
