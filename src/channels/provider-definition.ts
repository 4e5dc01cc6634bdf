/**
 * What every provider file exports: its name, the technologies it carries, a TypeBox schema of
 * its settings, a factory and (for providers with webhooks) a webhook parser. Settings arrive
 * from the database as `unknown`; they are checked against the schema here, once, so each
 * provider works with its own typed settings and the registry with none.
 */

import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { isRecord } from './json.js';
import type { Provider, ProviderDeps, ProviderEvents, Technology, WebhookRequest, WebhookResult } from './provider.js';

export type ProviderName = 'smtp' | 'smpp' | 'http-sms' | 'whatsapp-cloud';

export type SettingsResult = { readonly ok: true; readonly settings: unknown } | { readonly ok: false; readonly errors: readonly string[] };

/** Stored settings that no longer pass their schema: a bug or a missed migration, not a tenant's input. */
export class InvalidSettingsError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly errors: readonly string[],
  ) {
    super(`invalid ${provider} settings: ${errors.join('; ')}`);
    this.name = 'InvalidSettingsError';
  }
}

export interface ProviderDefinition {
  readonly name: ProviderName;
  readonly technologies: readonly Technology[];
  /** JSON Schema of the settings; secrets carry `writeOnly: true` (see secretPaths). */
  readonly settingsSchema: TSchema;
  /** Checks a tenant's settings and fills defaults; the result is what the engine stores. */
  parseSettings(raw: unknown): SettingsResult;
  /** Throws InvalidSettingsError when stored settings fail the schema. */
  create(settings: unknown, events: ProviderEvents, deps: ProviderDeps): Provider;
  /** Throws InvalidSettingsError when stored settings fail the schema. */
  parseWebhook(settings: unknown, request: WebhookRequest): WebhookResult;
}

interface ProviderSpec<S extends TSchema> {
  readonly name: ProviderName;
  readonly technologies: readonly Technology[];
  readonly settings: S;
  create(settings: Static<S>, events: ProviderEvents, deps: ProviderDeps): Provider;
  webhook?(settings: Static<S>, request: WebhookRequest): WebhookResult;
}

export function defineProvider<S extends TSchema>(spec: ProviderSpec<S>): ProviderDefinition {
  const parse = (raw: unknown): { ok: true; settings: Static<S> } | { ok: false; errors: string[] } => {
    // Default mutates what it is given; the caller's object stays as it was.
    const value = Value.Default(spec.settings, Value.Clone(raw));
    if (Value.Check(spec.settings, value)) return { ok: true, settings: value };
    // Paths and rules only: a message never repeats the value, which may be a secret.
    const errors = Value.Errors(spec.settings, value).map((error) => `${error.instancePath || '/'} ${error.message}`);
    return { ok: false, errors };
  };
  const stored = (raw: unknown): Static<S> => {
    const result = parse(raw);
    if (!result.ok) throw new InvalidSettingsError(spec.name, result.errors);
    return result.settings;
  };
  return {
    name: spec.name,
    technologies: spec.technologies,
    settingsSchema: spec.settings,
    parseSettings: parse,
    create: (settings, events, deps) => spec.create(stored(settings), events, deps),
    parseWebhook: (settings, request) => {
      const typed = stored(settings);
      if (!spec.webhook) return { kind: 'rejected', status: 404, reason: `${spec.name} takes no webhooks` };
      return spec.webhook(typed, request);
    },
  };
}

/** Paths (property names from the root) of every secret in a settings schema: `writeOnly: true`. */
export function secretPaths(schema: TSchema): string[][] {
  const found: string[][] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (!isRecord(node)) return;
    if (node.writeOnly === true) found.push(path);
    if (isRecord(node.properties)) for (const [key, child] of Object.entries(node.properties)) walk(child, [...path, key]);
  };
  walk(schema, []);
  return found;
}

/** A copy of stored settings without their secrets, for every answer that shows settings. */
export function withoutSecrets(schema: TSchema, settings: unknown): unknown {
  const copy = Value.Clone(settings);
  for (const path of secretPaths(schema)) {
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), copy);
    const last = path.at(-1);
    if (isRecord(parent) && last !== undefined) delete parent[last];
  }
  return copy;
}

/**
 * Settings for an update: `incoming` as given, with each secret it leaves out taken from
 * `stored`, since clients never read secrets back and so cannot resend them.
 */
export function keepSecrets(schema: TSchema, stored: unknown, incoming: unknown): unknown {
  const merged = Value.Clone(incoming);
  for (const path of secretPaths(schema)) {
    const previous = path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), stored);
    if (previous === undefined) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), merged);
    const last = path.at(-1);
    if (isRecord(parent) && last !== undefined && parent[last] === undefined) parent[last] = previous;
  }
  return merged;
}
