import type { ChannelInput } from '../../core/messaging/channels.service.js';
import { invalid } from '../../core/shared/errors.js';
import { bodyOf, booleanParameter, isRecord, textField, type Body } from './body-fields.js';

function rateField(body: Body): number | undefined {
  const value = body.rate;
  if (value === undefined || value === null || value === '') return undefined;
  const rate = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(rate)) throw invalid('rate', 'Expected a number of messages per second.');
  return rate;
}

/** `settings` is a hash (`settings[host]=…` in a form); an empty form value is `{}`. */
function settingsField(body: Body): unknown {
  const value = body.settings;
  if (value === undefined || value === null) return undefined;
  if (value === '') return {};
  if (!isRecord(value)) throw invalid('settings', 'Expected a hash of the provider’s settings.');
  return value;
}

export function channelInputFrom(raw: unknown): ChannelInput {
  const body = bodyOf(raw);
  const text = (key: string) => textField(body, key) ?? undefined;
  return {
    technology: text('technology'),
    origin: text('origin'),
    provider: text('provider'),
    settings: settingsField(body),
    rate: rateField(body),
    active: booleanParameter(body.active, 'active'),
  };
}
