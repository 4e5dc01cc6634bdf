/**
 * The registry: every delivery provider by the name a channel stores. The engine creates one
 * Provider per active channel (in the worker, where sends happen) and parses webhooks without
 * one (in the API process, where the hooks arrive), both from the channel's stored settings.
 *
 * `dev-inbox` is not here yet: it writes to our own tables, so it comes with the engine, behind
 * the same Provider interface.
 */

import { httpSmsProvider } from './http-sms.provider.js';
import type { ProviderDefinition, ProviderName, SettingsResult } from './provider-definition.js';
import type { Provider, ProviderDeps, ProviderEvents, Technology, WebhookRequest, WebhookResult } from './provider.js';
import { smppProvider } from './smpp.provider.js';
import { smtpProvider } from './smtp.provider.js';
import { whatsappCloudProvider } from './whatsapp-cloud.provider.js';

export { InvalidSettingsError, keepSecrets, secretPaths, withoutSecrets, type ProviderName, type SettingsResult } from './provider-definition.js';

const definitions: Readonly<Record<ProviderName, ProviderDefinition>> = {
  smtp: smtpProvider,
  smpp: smppProvider,
  'http-sms': httpSmsProvider,
  'whatsapp-cloud': whatsappCloudProvider,
};

export const providerNames = Object.keys(definitions).filter(isProviderName);

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(definitions, name);
}

export function providerDefinition(name: ProviderName): ProviderDefinition {
  return definitions[name];
}

/** Whether a provider can carry a technology: a channel's pair is checked with it on save. */
export function supportsTechnology(name: ProviderName, technology: Technology): boolean {
  return definitions[name].technologies.includes(technology);
}

/** A tenant's settings checked and completed with defaults; the errors name paths, never values. */
export function parseSettings(name: ProviderName, raw: unknown): SettingsResult {
  return definitions[name].parseSettings(raw);
}

/** A provider for one channel; connection-holding ones (SMPP) start connecting at once. Throws InvalidSettingsError. */
export function createProvider(name: ProviderName, settings: unknown, events: ProviderEvents, deps: ProviderDeps): Provider {
  return definitions[name].create(settings, events, deps);
}

/** Verifies and reads a webhook for a channel; a provider without webhooks rejects with 404. Throws InvalidSettingsError. */
export function parseWebhook(name: ProviderName, settings: unknown, request: WebhookRequest): WebhookResult {
  return definitions[name].parseWebhook(settings, request);
}
